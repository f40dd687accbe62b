package archy.threads;

import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own long-lived threads (the store writer and its completions, the PostgreSQL listener):
 * when one of them dies of an uncaught throwable the node cannot go on — writes would queue forever and
 * nothing would answer — so the death is logged loudly and the process exits with {@value #EXIT_CODE}
 * for a supervisor to restart it, instead of lingering as a node that accepts connections and does nothing.
 * Every write acknowledged before is committed, so exiting loses nothing acknowledged.
 */
public final class CoreThreads {
  private static final Logger log = LoggerFactory.getLogger(CoreThreads.class);
  /** EX_SOFTWARE of sysexits.h: an internal error. */
  public static final int EXIT_CODE = 70;
  /** How long shutdown hooks get before the JVM is halted: a hook may itself wait on the dead thread. */
  private static final long HALT_AFTER_MILLIS = 15_000;

  private static final Thread.UncaughtExceptionHandler FATAL = (thread, error) -> {
    String line = "archy: FATAL: core thread " + thread.getName() + " died (" + error + "); exiting with "
        + EXIT_CODE + " so a supervisor can restart the node";
    System.err.println(line); // in case logging itself is what fails (out of memory)
    try {
      log.error(line, error);
    } finally {
      exit(EXIT_CODE);
    }
  };

  private CoreThreads() {}

  /** Starts a core thread (daemon: close paths drain it explicitly). */
  public static Thread start(String name, Runnable body) {
    Thread thread = unstarted(name, body);
    thread.start();
    return thread;
  }

  /** A core thread not yet started. */
  public static Thread unstarted(String name, Runnable body) {
    return Thread.ofPlatform().name(name).daemon().uncaughtExceptionHandler(FATAL).unstarted(body);
  }

  /** A factory of core threads, for single-thread executors whose tasks must never die quietly. */
  public static ThreadFactory factory(String name) {
    return Thread.ofPlatform().name(name).daemon().uncaughtExceptionHandler(FATAL).factory();
  }

  /**
   * Exits from a thread of its own, so the dying thread ends and a shutdown hook that joins it can
   * finish; halts if the hooks have not finished in time.
   */
  private static void exit(int code) {
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(HALT_AFTER_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(code);
    }, "archy-fatal-halt");
    halt.setDaemon(true);
    halt.start();
    Thread exit = new Thread(() -> System.exit(code), "archy-fatal-exit");
    exit.start();
  }
}
