package archy.paidblobs.client;

import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to fetch and how to check it: a URL whose path ends in a 64-hex address ({@code /<sha256>[.ext]},
 * {@code /b3/<blake3>}, {@code /api/film/<blake3>}), or a bare hash on a node (a sha256 is asked at
 * {@code /<sha256>}, {@code blake3:<hex>} at {@code /b3/<hex>}); or a seeder's QUIC endpoint, {@code quic://host:port/<blake3>#<cert sha256>}
 * ({@code /b3/<blake3>} too: {@code archy/paid-blobs/1} serves by BLAKE3 only, and the fragment is the certificate
 * to pin, never optional).
 */
public record BlobTarget(URI url, Hash hash, String hex) {
  public enum Hash { SHA256, BLAKE3 }

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PATH = Pattern.compile(".*?(/b3/|/api/film/|/)([0-9a-fA-F]{64})(\\.[A-Za-z0-9]{1,16})?$");

  public static BlobTarget parse(String target, String node) {
    String t = target.strip();
    if (t.startsWith("quic://")) {
      URI url = URI.create(t);
      Matcher m = PATH.matcher(url.getPath() == null ? "" : url.getPath());
      if (!m.matches() || m.group(3) != null || m.group(1).equals("/api/film/")) {
        throw new IllegalArgumentException("a quic:// target is quic://host:port/<blake3>#<cert sha256>, not " + t);
      }
      if (url.getPort() < 1 || url.getFragment() == null || !HEX.matcher(url.getFragment()).matches()) {
        throw new IllegalArgumentException("a quic:// target needs host:port and #<cert sha256> (64 lowercase hex) to pin: " + t);
      }
      return new BlobTarget(url, Hash.BLAKE3, m.group(2).toLowerCase());
    }
    if (t.startsWith("http://") || t.startsWith("https://")) {
      URI url = URI.create(t);
      Matcher m = PATH.matcher(url.getPath());
      if (!m.matches()) throw new IllegalArgumentException("the URL does not end in a blob address: " + t);
      Hash hash = m.group(1).equals("/") ? Hash.SHA256 : Hash.BLAKE3;
      return new BlobTarget(url, hash, m.group(2).toLowerCase());
    }
    if (node == null) throw new IllegalArgumentException("a bare hash needs the node to ask (--node)");
    String base = node.replaceAll("/+$", "");
    String hex = t.toLowerCase();
    if (hex.startsWith("blake3:")) {
      hex = hex.substring("blake3:".length());
      if (HEX.matcher(hex).matches()) return new BlobTarget(URI.create(base + "/b3/" + hex), Hash.BLAKE3, hex);
    } else if (HEX.matcher(hex).matches()) {
      return new BlobTarget(URI.create(base + "/" + hex), Hash.SHA256, hex);
    }
    throw new IllegalArgumentException("expected a URL, a sha256 or blake3:<hex>, not " + target);
  }

  /** The address the bytes must hash to. */
  public archy.film.fetch.BlobHttp.Address address() {
    return hash == Hash.BLAKE3 ? archy.film.fetch.BlobHttp.Address.blake3(hex) : archy.film.fetch.BlobHttp.Address.sha256(hex);
  }

  /** The same blob at another Blossom server (a free origin), by the same address. */
  URI at(String origin) {
    return URI.create(origin + (hash == Hash.SHA256 ? "/" : "/b3/") + hex);
  }

  /** A seeder's {@code archy/paid-blobs/1} endpoint rather than an HTTP URL. */
  public boolean isQuic() {
    return "quic".equals(url.getScheme());
  }

  /** The QUIC endpoint's {@code host:port}. */
  public String hostPort() {
    return url.getAuthority();
  }

  /** The QUIC endpoint's certificate SHA-256 to pin (the URL's fragment). */
  public String fingerprint() {
    return url.getFragment();
  }

  String host() {
    return url.getScheme() + "://" + url.getAuthority();
  }
}
