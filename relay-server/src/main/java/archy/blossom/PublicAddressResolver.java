package archy.blossom;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * The mirror client's DNS: resolves a host and keeps only public addresses, so {@code PUT /mirror} cannot
 * be pointed at the node's loopback, the LAN or a cloud metadata service (SSRF). The check sits in the
 * resolver, not before the request, so the address checked is the address connected to (no DNS
 * rebinding between the two), and every redirect hop goes through it too.
 */
final class PublicAddressResolver implements SocketAddressResolver {
  /** The refusal, recognised in the failure's causes to answer 403 rather than 502. */
  static final class PrivateAddress extends UnknownHostException {
    PrivateAddress(String host) {
      super(host + " resolves only to private, loopback or link-local addresses");
    }
  }

  private final Executor executor;

  PublicAddressResolver(Executor executor) {
    this.executor = executor;
  }

  @Override
  public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
    executor.execute(() -> {
      try {
        List<InetSocketAddress> usable = new ArrayList<>();
        for (InetAddress a : InetAddress.getAllByName(host)) {
          if (isPublic(a)) usable.add(new InetSocketAddress(a, port));
        }
        if (usable.isEmpty()) throw new PrivateAddress(host);
        promise.succeeded(usable);
      } catch (UnknownHostException e) {
        promise.failed(e);
      }
    });
  }

  static boolean isPublic(InetAddress a) {
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
