/**
 * Whether a URL points at this machine or a private network (or is no http(s) URL at all). Links
 * from a source nobody confirmed (an unverified callback) must not make n8n fetch from its own
 * network. Host names are judged as written; a public name resolving to a private address is not
 * detected here.
 */
export function isPrivateAddress(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return true;
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return true;
	const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost') || host === '') return true;
	const ipv4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (ipv4) return isPrivateIpv4(ipv4.slice(1).map(Number));
	if (host.includes(':')) return isPrivateIpv6(host);
	// Bare numbers (http://2130706433/) are IPv4 addresses in disguise.
	return /^(0x[0-9a-f]+|\d+)$/.test(host);
}

function isPrivateIpv4([a, b]: number[]): boolean {
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		a >= 224
	);
}

function isPrivateIpv6(host: string): boolean {
	if (host === '::' || host === '::1') return true;
	const mapped = /^::ffff:(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
	if (mapped) return isPrivateIpv4(mapped.slice(1).map(Number));
	if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(host)) return true;
	return /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
}

/**
 * Why a result file must not be fetched from `url`, or undefined when it may be. RunningHub keeps
 * result files on public hosts, so a link to this machine or a private network is refused, except
 * on the very origin of the API the credential names (`trustedOrigin`: a proxy or simulator the
 * user set up on their own network, whose answers the user chose to trust).
 */
export function privateAddressRefusal(url: string, trustedOrigin?: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'the link is not a valid URL';
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		return `the link is not an http(s) URL (${parsed.protocol})`;
	if (!isPrivateAddress(url) || parsed.origin === trustedOrigin) return undefined;
	return (
		`the link points at a local or private address (${parsed.origin}); result files are ` +
		`downloaded from such an address only when it is the origin of the credential's Base URL`
	);
}
