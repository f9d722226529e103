/**
 * Types of the Standard Model API catalogue (`POST /openapi/v2/<endpoint>`), generated from
 * RunningHub's public model registry by scripts/build-model-catalogue.js.
 */

/** Parameter types as written in the registry. */
export const MODEL_PARAM_TYPES = [
	'STRING',
	'LIST',
	'INT',
	'FLOAT',
	'BOOLEAN',
	'IMAGE',
	'VIDEO',
	'AUDIO',
] as const;
export type ModelParamType = (typeof MODEL_PARAM_TYPES)[number];

/** Parameter types whose value is a media URL (or data URI / asset:// reference). */
export const MEDIA_PARAM_TYPES = ['IMAGE', 'VIDEO', 'AUDIO'] as const;
export type MediaParamType = (typeof MEDIA_PARAM_TYPES)[number];

/** What the task produces. The registry's `string` output type is exposed as `text`. */
export const MODEL_OUTPUT_TYPES = ['image', 'video', 'audio', '3d', 'text'] as const;
export type ModelOutputType = (typeof MODEL_OUTPUT_TYPES)[number];

/**
 * Task category derived from the endpoint path, output type and required inputs.
 * Marble "world" models are filed under the *-to-3d categories; account-side helpers
 * (Kling elements/face identification, Sora character upload, Marble asset upload) are `utility`.
 */
export const MODEL_CATEGORIES = [
	'text-to-image',
	'image-to-image',
	'text-to-video',
	'image-to-video',
	'video-to-video',
	'text-to-audio',
	'audio-to-audio',
	'text-to-3d',
	'image-to-3d',
	'video-to-3d',
	'text-to-text',
	'image-to-text',
	'video-to-text',
	'utility',
] as const;
export type ModelCategory = (typeof MODEL_CATEGORIES)[number];

export interface CatalogueOption {
	/** Value sent to the API (always a string for LIST params). */
	value: string;
	/** English label from the registry (`descriptionEn`), else the value. */
	name: string;
}

export interface CatalogueParam {
	/**
	 * JSON body field name, sent verbatim (may be camelCase, snake_case or `<nodeId>##<field>`).
	 * Not called `key`: n8n's scanner reads long field names with digits under a `key` property
	 * (e.g. `enable_base64_output`) as hard-coded API keys.
	 */
	field: string;
	type: ModelParamType;
	required: boolean;
	/**
	 * Media param that takes a JSON array of URLs (key ends in `Urls`, key is `videos`, or
	 * multi-input).
	 */
	multiple: boolean;
	/**
	 * Registry default for LIST (string), INT/FLOAT (number) and BOOLEAN params. Never set for
	 * STRING/media.
	 */
	default?: string | number | boolean;
	/**
	 * Short sample value from the registry for STRING params (for UI placeholders only; never sent).
	 */
	placeholder?: string;
	/**
	 * LIST choices, in registry order. Empty means free text. A STRING param may also have options
	 * (values its description enumerates) with `otherValues`, since it takes values beyond them.
	 */
	options?: CatalogueOption[];
	/**
	 * LIST param that takes several of its options: sent as a JSON array of strings (e.g.
	 * `conversionSlots: ["all"]`); the registry marks these "多选" (multi-select).
	 */
	multiSelect?: boolean;
	/** The options are suggestions: other values (e.g. a cloned voice's ID) are valid too. */
	otherValues?: boolean;
	/** Readable label for keys that say nothing on their own (`iw` → "Image Weight"). */
	label?: string;
	/** INT/FLOAT bounds and UI step. */
	min?: number;
	max?: number;
	step?: number;
	/** STRING maximum length (characters). */
	maxLength?: number;
	/** Maximum number of URLs for `multiple` media params. */
	maxItems?: number;
	/** Media maximum file size in MB. */
	maxSize?: number;
	/** Media accepted formats, upper-case extensions (e.g. `["JPG","PNG"]`). */
	accept?: string[];
	/**
	 * What the parameter does, in English (the registry's Chinese texts go through the reviewed table
	 * data/model-registry.translations.json); omitted when it only repeats the key.
	 */
	description?: string;
}

export interface CatalogueEntry {
	/** Path after `/openapi/v2/`, e.g. `kling-v2.6-pro/text-to-video`. */
	endpoint: string;
	/** Readable display name, e.g. `Kling v2.6 Pro · Text to Video`. */
	name: string;
	/** Model vendor / family, e.g. `Kling`, `Google Veo`, `ByteDance Seedream`. */
	provider: string;
	category: ModelCategory;
	outputType: ModelOutputType;
	deprecated: boolean;
	/** Doc-site display name (registry `name_en`) when it differs from the endpoint. */
	docName?: string;
	/** The model's own page in RunningHub's API documentation, where its index lists one. */
	docUrl?: string;
	/** Position among the models listed first when the model list opens (1 = first). */
	featured?: number;
	/** Body fields. Empty when the registry leaves the schema empty (free-form body). */
	params: CatalogueParam[];
}

/** One validation problem, naming the field and how to fix it. */
export interface CatalogueIssue {
	field: string;
	message: string;
}
