package archy.quic;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;

/**
 * The stream a {@link QuicHandler} answers on (PROTOCOLS.md §5): one JSON header line, then raw bytes, then
 * the stream finishes. Calls block the handler's virtual thread, never a Netty event loop. Writes wait while
 * the stream is not writable (QUIC flow control plus a bounded write buffer), so at most about a megabyte of
 * an answer is in memory whatever the body's size; an answer the peer stops reading for the idle timeout is
 * reset.
 */
public interface QuicReply {
  /** Answers with a header line and no body. */
  void answer(JsonNode header);

  /**
   * Answers with a header line and then {@code body} to its end, closing {@code body}. A body that throws
   * ({@code IOException} from a store, a hash found wrong at the end) cuts the answer off with a stream reset,
   * so the reader never takes a partial answer for a whole one.
   *
   * @return the body bytes the QUIC stack accepted for sending, and whether the whole body went
   */
  Sent stream(JsonNode header, InputStream body);

  /** Cuts the stream off with a reset: the reader sees an error, never a short answer. */
  void reset();

  /** A §5 error answer: {@code {"status":s,"reason":"…"}}. */
  default void refuse(int status, String reason) {
    answer(QuicStatus.error(status, reason));
  }

  /** @param bytes body bytes handed to the QUIC stack (a paid handler debits these) */
  record Sent(long bytes, boolean complete) {}
}
