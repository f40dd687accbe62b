package archy.quic;

/**
 * A protocol's server side, registered by ALPN with {@link QuicNetwork#register}. Runs on a virtual thread of its own,
 * so it may block (JDBC, mint calls, reading a blob); it answers exactly once through {@code reply}. A handler
 * that returns without answering gets {@code 500} sent for it; one that throws gets {@code 500} or, when its
 * header already went out, a stream reset.
 */
@FunctionalInterface
public interface QuicHandler {
  void handle(QuicRequest request, QuicReply reply) throws Exception;
}
