// Critical conditions a person must act on (a bond below the minimum, a slash, a missing key, a
// stuck nonce), posted to the operator's webhook as JSON, at most once per cause per interval so
// that a condition that lasts does not flood the channel.
export type CriticalCause = "BOND_BELOW_MINIMUM" | "SLASHED" | "MISSING_KEY" | "STUCK_NONCE";

export interface Alert {
  cause: CriticalCause;
  message: string;
  bot: string;
  account: string;
  at: string;
  detail?: Record<string, unknown>;
}

export interface AlertOptions {
  /** Where alerts are posted; none: they are only logged. */
  webhookUrl?: string;
  /** One alert per cause per this many ms (default 15 minutes). */
  intervalMs?: number;
  bot: string;
  account: string;
  log?: (line: string) => void;
  now?: () => number;
}

export class CriticalAlerts {
  readonly #options: AlertOptions;
  readonly #lastSent = new Map<CriticalCause, number>();
  /** Alerts raised, sent or not (suppressed ones are not here). */
  readonly raised: Alert[] = [];
  suppressed = 0;

  constructor(options: AlertOptions) {
    this.#options = options;
  }

  /** Raises `cause` unless it was raised less than an interval ago; resolves once posted (or failed). */
  async raise(cause: CriticalCause, message: string, detail?: Record<string, unknown>): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    const last = this.#lastSent.get(cause);
    if (last !== undefined && now - last < (this.#options.intervalMs ?? 15 * 60_000)) {
      this.suppressed++;
      return;
    }
    this.#lastSent.set(cause, now);
    const alert: Alert = {
      cause,
      message,
      bot: this.#options.bot,
      account: this.#options.account,
      at: new Date(now).toISOString(),
      detail,
    };
    this.raised.push(alert);
    this.#options.log?.(`critical: ${cause}: ${message}`);
    const url = this.#options.webhookUrl;
    if (url === undefined) return;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(alert, (_key, value) => (typeof value === "bigint" ? value.toString() : value)),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) this.#options.log?.(`the webhook answered HTTP ${response.status} to the ${cause} alert`);
    } catch (error) {
      this.#options.log?.(`cannot post the ${cause} alert to the webhook: ${(error as Error).message}`);
    }
  }
}
