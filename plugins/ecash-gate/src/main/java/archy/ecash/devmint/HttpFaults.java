package archy.ecash.devmint;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Faults of the dev mint's HTTP layer, armed per path for one request each (in the order armed): the failures a
 * wallet must survive between it and a mint. A lost response is the important one: the mint did the work (spent
 * the inputs, signed the outputs) but the wallet never hears of it, and must recover by a NUT-19 replay or a NUT-09
 * restore.
 */
public final class HttpFaults {
  sealed interface Fault {}

  /** Process the request, then close the connection without answering. */
  record Lose() implements Fault {}

  /** Answer 500 without processing the request. */
  record Fail() implements Fault {}

  /** Process the request, then wait before answering. */
  record Delay(Duration delay) implements Fault {}

  /**
   * Answer {@code status} with a body that is no NUT error, as a proxy in front of the mint does (408, 429, 502),
   * after processing the request when {@code processed} (the proxy gave up while the mint went on) or instead.
   */
  record Status(int status, boolean processed) implements Fault {}

  private final Map<String, Queue<Fault>> armed = new ConcurrentHashMap<>();

  /** The next request to {@code path} (such as {@code /v1/swap}) is processed but gets no answer. */
  public void loseNextResponse(String path) {
    arm(path, new Lose());
  }

  /** The next request to {@code path} is answered 500 without being processed. */
  public void failNextRequest(String path) {
    arm(path, new Fail());
  }

  /** The next request to {@code path} is processed and answered after {@code delay}. */
  public void delayNextResponse(String path, Duration delay) {
    arm(path, new Delay(delay));
  }

  /** The next request to {@code path} gets {@code status} from a "proxy", processed by the mint or not. */
  public void proxyAnswersNext(String path, int status, boolean processed) {
    arm(path, new Status(status, processed));
  }

  /** Disarms everything. */
  public void clear() {
    armed.clear();
  }

  Fault next(String path) {
    Queue<Fault> q = armed.get(path);
    return q == null ? null : q.poll();
  }

  private void arm(String path, Fault fault) {
    armed.computeIfAbsent(path, p -> new ConcurrentLinkedQueue<>()).add(fault);
  }
}
