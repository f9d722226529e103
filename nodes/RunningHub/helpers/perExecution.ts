/**
 * Remote definitions (workflow JSON, app templates) fetched once per execution and shared by all
 * items: a batch of 1000 items must not fetch the same workflow 1000 times.
 */
const perExecution = new WeakMap<object, Map<string, Promise<unknown>>>();

export async function oncePerExecution<T>(
	context: object,
	key: string,
	load: () => Promise<T>,
): Promise<T> {
	let cache = perExecution.get(context);
	if (!cache) {
		cache = new Map();
		perExecution.set(context, cache);
	}
	let pending = cache.get(key) as Promise<T> | undefined;
	if (!pending) {
		pending = load();
		cache.set(key, pending);
		// A failed load is not cached, so the next item tries again.
		pending.catch(() => cache!.delete(key));
	}
	return await pending;
}
