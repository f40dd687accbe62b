package archy.film;

/**
 * Where a seeder serves blobs: {@code https} with a base URL (no trailing slash; {@code alpn} null), or
 * {@code quic} with {@code host:port} and an ALPN protocol id.
 */
public record Endpoint(String transport, String address, String alpn) {
  public static Endpoint https(String baseUrl) {
    return new Endpoint("https", baseUrl, null);
  }

  /** An HTTP(S) Blossom base URL: {@code https}, or {@code http} where plain HTTP is allowed (tests, LANs). */
  public boolean isHttp() {
    return transport.equals("https") || transport.equals("http");
  }

  public static Endpoint quic(String hostPort, String alpn) {
    return new Endpoint("quic", hostPort, alpn);
  }
}
