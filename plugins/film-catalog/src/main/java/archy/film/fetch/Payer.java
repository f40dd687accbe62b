package archy.film.fetch;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Map;

/**
 * Pays the 402s of Blossom servers (BUD-07 + NUT-24, PROTOCOLS.md §4.1) for {@link BlobHttp}. paid-blobs
 * publishes one (the node's auto-pay client, within {@code [paid-blobs.client]} caps) as a service; fetch-through
 * finds it there, so film-catalog never depends on the plugin that holds the money.
 */
public interface Payer {
  /** Headers every request to this URL's server carries: the session held there ({@code X-Archy-Session}), if any. */
  Map<String, String> sessionHeaders(URI url);

  /** Learns from any answer of that server: a new or renewed session, and whether bytes were delivered (200). */
  void answered(URI url, int status, HttpHeaders headers);

  /**
   * Pays the 402 that {@code url} answered with {@code headers}: the headers to send the same GET again with (the
   * token and the session). A lost answer to that retry is retried with the same headers, never a new token.
   *
   * @param expectedBytes how many bytes the GET will bring, when known (else -1): a payer may buy ahead
   * @throws PaymentDeclined when a cap, the wallet or the request itself stands in the way
   */
  Payment pay(URI url, HttpHeaders headers, long expectedBytes) throws PaymentDeclined;

  /**
   * Pays a NUT-18 request ({@code creqA…}) that {@code server} asked for outside HTTP (a QUIC 402 header, PROTOCOLS.md
   * §5.1): the token goes under {@link BlobHttp#CASHU} in the payment's headers. Same caps as {@link #pay}. A lost
   * answer to the paid request is retried with the same token ({@link PaidQuic}), never a new one.
   *
   * @param what what the payment is for ({@code blake3:<hex>}), for the payer's record of what it spent
   */
  Payment payRequest(URI server, String request, String what, long expectedBytes) throws PaymentDeclined;

  /** The session this payer holds at {@code server} (any transport), if any. */
  java.util.Optional<String> session(URI server);

  /** Remembers the session a server named, and that it delivered bytes when {@code delivered}. */
  void rememberSession(URI server, String session, boolean delivered);

  /** What to send with the retry, and what it cost. */
  record Payment(Map<String, String> headers, long sats) {
    public Payment {
      headers = Map.copyOf(headers);
    }
  }
}
