package archy.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The SSRF guard's one definition of a public address: not loopback, LAN, link-local, multicast, unique
 * local (fc00::/7), carrier-grade NAT, "this network", benchmarking or reserved ranges. Used wherever the
 * node fetches from a URL someone else named (Blossom mirror, film fetch-through).
 */
public final class PublicAddresses {
  private PublicAddresses() {}

  /** Whether every address the host name resolves to is public. */
  public static boolean isPublicHost(String host) throws IOException {
    if (host == null || host.isEmpty()) return false;
    for (InetAddress a : InetAddress.getAllByName(host)) {
      if (!isPublic(a)) return false;
    }
    return true;
  }

  public static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      if (first == 0) return false;                                    // "this network"
      if (first == 100 && second >= 64 && second < 128) return false;  // carrier-grade NAT
      if (first == 198 && (second == 18 || second == 19)) return false; // benchmarking
      return first < 240;                                              // reserved, broadcast
    }
    int first = b[0] & 0xff;
    if ((first & 0xfe) == 0xfc) return false;                          // unique local fc00::/7
    // IPv4-mapped ::ffff:a.b.c.d: judge the IPv4 address.
    boolean mapped = true;
    for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
    if (mapped && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      try {
        return isPublic(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    return true;
  }
}
