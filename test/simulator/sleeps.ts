/** Waits inside the simulator (slow faults, waitFor) that stop() ends at once. */

export class Sleeps {
	private readonly sleepers = new Map<NodeJS.Timeout, () => void>();

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.sleepers.delete(t);
				resolve();
			}, ms);
			this.sleepers.set(t, resolve);
		});
	}

	/** Ends every pending wait now. */
	wakeAll(): void {
		for (const [t, wake] of this.sleepers) {
			clearTimeout(t);
			wake();
		}
		this.sleepers.clear();
	}
}
