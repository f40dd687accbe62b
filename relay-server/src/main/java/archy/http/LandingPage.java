package archy.http;

import archy.config.Blossom;
import archy.relay.Nip11;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The human page on {@code GET /}: what this node offers and how to use it. The host writes the relay and
 * Blossom parts; plugins add {@link Section}s (film-catalog: the films, how to watch and publish them), which
 * are rendered on each request so counts stay current.
 */
public final class LandingPage {
  /** A plugin's part of the page: a heading and HTML produced per request. */
  public record Section(String heading, Supplier<String> html) {}

  private final Supplier<String> name;
  private final Supplier<String> description;
  private final String publicUrl;
  private final String nodeNpub;
  private final List<String> plugins;
  private final List<Integer> nips;
  private final Blossom blossom;
  private final List<Section> sections;

  /**
   * @param name        read on each request (an operator may rename the relay), likewise {@code description}
   * @param nips        the NIPs the relay serves as configured ({@link Nip11#supportedNips})
   * @param sections    read on each request: plugins add theirs while they install
   */
  public LandingPage(Supplier<String> name, Supplier<String> description, String publicUrl, String nodeNpub, List<String> plugins,
                     List<Integer> nips, Blossom blossom, List<Section> sections) {
    this.nips = List.copyOf(nips);
    this.name = name;
    this.description = description;
    this.publicUrl = publicUrl;
    this.nodeNpub = nodeNpub;
    this.plugins = List.copyOf(plugins);
    this.blossom = blossom;
    this.sections = sections;
  }

  public String html() {
    String ws = publicUrl.replaceFirst("^http", "ws");
    String nips = this.nips.stream().map(String::valueOf).collect(Collectors.joining(", "));
    String pluginList = plugins.isEmpty() ? "none" : plugins.stream().map(LandingPage::escape)
        .collect(Collectors.joining(", "));
    StringBuilder extra = new StringBuilder();
    for (Section s : sections) {
      String body;
      try {
        body = s.html().get();
      } catch (RuntimeException e) {
        body = "<p>(unavailable right now)</p>";
      }
      extra.append("<h2>").append(escape(s.heading())).append("</h2>\n").append(body).append('\n');
    }
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>%1$s</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem}
        code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style></head>
        <body>
        <h1>%1$s</h1>
        <p>%2$s</p>
        %8$s
        <h2>Nostr relay</h2>
        <p>Connect a Nostr client to <code>%3$s</code>. Supported NIPs: %4$s.
        The relay information document (NIP-11) is served here with <code>Accept: application/nostr+json</code>.</p>
        %7$s
        <h2>Node</h2>
        <p>Node key: <code>%5$s</code>. Plugins: %6$s.
        <a href="/metrics">Metrics</a> (Prometheus).</p>
        </body></html>
        """.formatted(escape(name.get()), escape(description.get()), escape(ws), nips, escape(nodeNpub), pluginList,
            blossomSection(), extra);
  }

  private String blossomSection() {
    if (!blossom.enabled()) return "";
    String who = blossom.upload() == Blossom.UploadMode.ALLOWLIST ? "keys on this server's allow-list"
        : "any Nostr key with a BUD-11 authorization";
    return """
        <h2>Blossom</h2>
        <p>This node is a <a href="https://github.com/hzrd149/blossom">Blossom</a> blob server at <code>%1$s</code>
        (BUDs 01, 02, 04, 06, 08, 09, 11, 12). Blobs are served at <code>/&lt;sha256&gt;[.ext]</code>, and by their
        BLAKE3 hash at <code>/b3/&lt;blake3&gt;</code>, with range requests. Uploads (<code>PUT /upload</code>,
        up to %2$s bytes) are open to %3$s.</p>
        """.formatted(escape(publicUrl), blossom.maxUploadBytes(), who);
  }

  public static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
