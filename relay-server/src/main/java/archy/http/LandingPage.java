package archy.http;

import archy.config.Blossom;
import archy.relay.Nip11;
import java.util.List;
import java.util.stream.Collectors;

/** The human page on {@code GET /}: what this node is and how to reach it. */
public final class LandingPage {
  private LandingPage() {}

  public static String html(String name, String description, String publicUrl, String nodeNpub, List<String> plugins,
                            Blossom blossom) {
    String ws = publicUrl.replaceFirst("^http", "ws");
    String nips = Nip11.SUPPORTED_NIPS.stream().map(String::valueOf).collect(Collectors.joining(", "));
    String pluginList = plugins.isEmpty() ? "<li>none</li>"
        : plugins.stream().map(p -> "<li>" + escape(p) + "</li>").collect(Collectors.joining());
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <title>%1$s</title>
        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}
        code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style></head>
        <body>
        <h1>%1$s</h1>
        <p>%2$s</p>
        <h2>Nostr relay</h2>
        <p>Connect a Nostr client to <code>%3$s</code>. Supported NIPs: %4$s.
        The relay information document (NIP-11) is served here with <code>Accept: application/nostr+json</code>.</p>
        %7$s
        <h2>Node</h2>
        <p>Node key: <code>%5$s</code></p>
        <p>Plugins:</p><ul>%6$s</ul>
        <p><a href="/metrics">Metrics</a> (Prometheus)</p>
        </body></html>
        """.formatted(escape(name), escape(description), escape(ws), nips, escape(nodeNpub), pluginList,
            blossomSection(publicUrl, blossom));
  }

  private static String blossomSection(String publicUrl, Blossom blossom) {
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

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
