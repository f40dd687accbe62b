package archy.ecash;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A mint's base URL in the one spelling used for comparisons (allow-lists, token {@code m}, payment request
 * {@code m}): http or https, lowercase scheme and host, no default port, no query or fragment, and no trailing
 * slash (NUT-00 says mint URLs in tokens have trailing slashes removed).
 */
public final class MintUrl {
  private MintUrl() {}

  /** @throws IllegalArgumentException when {@code url} is not an absolute http(s) URL */
  public static String normalize(String url) {
    if (url == null) throw new IllegalArgumentException("mint URL is missing");
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("mint URL is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("mint URL must be http or https");
    }
    if (uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("mint URL must have a host and no user info, query or fragment");
    }
    int port = uri.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    int end = path.length();
    while (end > 0 && path.charAt(end - 1) == '/') end--;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path.substring(0, end);
  }
}
