package archy.blossom;

import archy.http.PublicAddresses;
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
          if (PublicAddresses.isPublic(a)) usable.add(new InetSocketAddress(a, port));
        }
        if (usable.isEmpty()) throw new PrivateAddress(host);
        promise.succeeded(usable);
      } catch (UnknownHostException e) {
        promise.failed(e);
      }
    });
  }
}
