package archy.streams.client;

/** Why a stream command stops, with its exit code: 1 an error (relay, offer, wallet), 2 a payment refused. */
public final class StreamException extends Exception {
  private final int code;

  public StreamException(int code, String message) {
    super(message);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
