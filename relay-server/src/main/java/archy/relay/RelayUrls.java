package archy.relay;

import java.net.URI;
import java.util.Locale;

/** NIP-42 "relay" tags name us as ws://, wss://, http:// or https:// URLs; host, port and path decide. */
final class RelayUrls {
  private RelayUrls() {}

  static boolean sameRelay(String claimed, String publicUrl) {
    Target a = target(claimed);
    Target b = target(publicUrl);
    return a != null && a.equals(b);
  }

  private record Target(String host, int port, String path) {}

  private static Target target(String url) {
    try {
      URI uri = URI.create(url.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean secure = scheme.equals("wss") || scheme.equals("https");
      if (!secure && !scheme.equals("ws") && !scheme.equals("http")) return null;
      int port = uri.getPort() != -1 ? uri.getPort() : (secure ? 443 : 80);
      String path = uri.getPath() == null ? "" : uri.getPath();
      while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
      return new Target(uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT), port, path);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
