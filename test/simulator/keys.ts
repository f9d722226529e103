/**
 * Test API keys understood by the RunningHub simulator.
 *
 * Real RunningHub keys are 32 characters; these are too, so any length check in the node passes.
 * They are obviously fake (they spell out "sim") and are never valid on the real service.
 */

export type SimApiType = 'NORMAL' | 'SHARED' | 'EXCLUSIVE' | 'FREE';

export interface SimKeyInfo {
	apiType: SimApiType;
	/** Maximum QUEUED+RUNNING tasks before create answers 421 (or 415 for EXCLUSIVE). */
	concurrency: number;
	/** accountStatus values (strings, as the live API returns them). */
	remainCoins: string | null;
	remainMoney: string | null;
	currency: string | null;
	description: string;
}

/** Consumer/member key ("消费级-会员"): workflows and AI apps, concurrency 2, no Standard Model API. */
export const SIM_KEY_NORMAL = 'simnormal0000000000000000000key1';
/** Enterprise-shared key: the only type allowed on the Standard Model API, concurrency 50. */
export const SIM_KEY_SHARED = 'simshared0000000000000000000key2';
/** Enterprise-exclusive key: over its limit create answers 415 TASK_INSTANCE_MAXED instead of 421. */
export const SIM_KEY_EXCLUSIVE = 'simexclusive0000000000000000key3';
/** Free user: every call answers 801 APIKEY_UNSUPPORTED_FREE_USER. */
export const SIM_KEY_FREE = 'simfree000000000000000000000key4';
/** Well-formed (32 chars) but unknown to the simulator: 802 / 1002 / 401 depending on the endpoint. */
export const SIM_KEY_INVALID = 'siminvalid000000000000000000key5';

export const SIM_KEYS: Readonly<Record<string, Readonly<SimKeyInfo>>> = {
	[SIM_KEY_NORMAL]: {
		apiType: 'NORMAL',
		concurrency: 2,
		remainCoins: '76600',
		remainMoney: null,
		currency: null,
		description: 'consumer key (workflows + AI apps), concurrency 2',
	},
	[SIM_KEY_SHARED]: {
		apiType: 'SHARED',
		concurrency: 50,
		remainCoins: '0',
		remainMoney: '999.50',
		currency: 'CNY',
		description: 'enterprise-shared key (everything incl. Standard Model API), concurrency 50',
	},
	[SIM_KEY_EXCLUSIVE]: {
		apiType: 'EXCLUSIVE',
		concurrency: 2,
		remainCoins: '0',
		remainMoney: '5000.00',
		currency: 'CNY',
		description: 'enterprise-exclusive key, concurrency 2, 415 when busy',
	},
	[SIM_KEY_FREE]: {
		apiType: 'FREE',
		concurrency: 0,
		remainCoins: '0',
		remainMoney: null,
		currency: null,
		description: 'free user, every call answers 801',
	},
};
