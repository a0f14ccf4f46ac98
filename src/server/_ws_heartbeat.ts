// Heartbeats of one connection (section 11): a `ping` after `intervalMs` of
// the server's silence (WS-HEARTBEAT-1), and a dead peer when nothing has
// arrived for 2 × `intervalMs` after a ping (WS-HEARTBEAT-5). Sending and
// receiving only record a time; one timer does the rest, so a busy
// connection costs no timer churn.

export class Heartbeat {
  readonly #interval: number;
  readonly #clock: () => number;
  readonly #ping: () => void;
  readonly #dead: () => void;
  #lastSent: number;
  /** When the first ping since the last received frame went out. */
  #waitingSince: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(intervalMs: number, clock: () => number, ping: () => void, dead: () => void) {
    this.#interval = intervalMs;
    this.#clock = clock;
    this.#ping = ping;
    this.#dead = dead;
    this.#lastSent = clock();
  }

  /** Starts the timer; call after `welcome`. */
  start(): void {
    this.#lastSent = this.#clock();
    this.#arm(this.#interval);
  }

  /** The server sent a frame. */
  sent(): void {
    this.#lastSent = this.#clock();
  }

  /** The peer sent a frame. */
  received(): void {
    this.#waitingSince = undefined;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#tick(), Math.max(1, delay));
  }

  #tick(): void {
    this.#timer = undefined;
    if (this.#stopped) return;
    let now = this.#clock();
    if (this.#waitingSince !== undefined && now - this.#waitingSince >= 2 * this.#interval) {
      this.stop();
      this.#dead();
      return;
    }
    if (now - this.#lastSent >= this.#interval) {
      this.#waitingSince ??= now;
      this.#ping();
      if (this.#stopped) return;
      now = this.#clock();
    }
    let next = this.#lastSent + this.#interval - now;
    if (this.#waitingSince !== undefined) {
      next = Math.min(next, this.#waitingSince + 2 * this.#interval - now);
    }
    this.#arm(next);
  }
}
