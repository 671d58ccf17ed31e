// The one error both interpreter sessions (espruino-session.ts, lua-session.ts) throw when the
// board gave no answer within the time, so that callers (run.ts) test the type, not the text.

/** A board that did not answer within the time. */
export class BoardTimeout extends Error {
  constructor(
    message: string,
    /** What was waited for (a console call, the boot, a display text). */
    readonly what: string,
    /** A display watch: the board was to answer once its own display showed a text (Espruino expectScreen, the watches armed at power-on). */
    readonly watch: boolean,
    /** The interpreter had exited by then. */
    readonly exited: boolean,
  ) {
    super(message);
    this.name = "BoardTimeout";
  }
}
