package archy.ecash.wallet;

/**
 * Named points between the persisted steps of an operation, where a crash test stops the process: with the system
 * property {@code archy.wallet.stopAt} naming one, the process prints {@code archy-wallet-stopped-at <name>} to
 * stderr when it gets there and waits, to be killed (kill -9) at exactly that point; then a fresh process resumes
 * from the journal (reference/cashu.md §4.2 "a crash hook at each persisted state"). Without the property, nothing.
 */
final class Boundary {
  private static final String STOP_AT = System.getProperty("archy.wallet.stopAt");

  private Boundary() {}

  static void reached(String name) {
    if (STOP_AT == null || !STOP_AT.equals(name)) return;
    System.err.println("archy-wallet-stopped-at " + name);
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // stay: only a kill ends this process
      }
    }
  }
}
