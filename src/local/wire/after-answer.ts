/**
 * Work a protocol handler runs once its answer is written (local/store/intent-slot.ts): the
 * action registers it through `register`, and the handler calls `run` after the answer, also an
 * error answer, in the same synchronous run. SQS's SendMessage and DynamoDB's item writes commit
 * there; the client reads the answer meanwhile.
 */
export class AfterAnswer {
  private work: (() => void) | undefined;

  /** Takes the work to run after the answer (the last one given). */
  readonly register = (work: () => void): void => {
    this.work = work;
  };

  /**
   * Runs the registered work: it is durable already (its intent slot), so it runs whatever the
   * answer was. A failure goes to `report` and stays in the slot for the surface's next call.
   */
  run(report: (error: unknown) => void): void {
    try {
      this.work?.();
    } catch (error) {
      report(error);
    }
  }
}
