package archy.film.publish;

import archy.film.did.CreatorKey;
import archy.film.event.CreatorStatement;
import archy.film.event.FilmEvent;
import archy.nostr.Hex;
import archy.film.event.InvalidEvent;
import archy.nostr.Event;
import archy.nostr.EventSigner;
import archy.nostr.Keys;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kind 30082 film event (PROTOCOLS.md §2.1) for a rewritten film: tags d, title, x (the master's sha256), one
 * t per genre, published_at, price; content with the playlist, poster, segments (every blob but master and
 * poster, omitted past {@link #MAX_LISTED} so the event stays far below the 256 KiB limit), duration and size.
 * An encrypted film's content says {@code "enc": {"scheme": "aes-128", "key_ref": "nip98"}}; with a creator key the
 * {@code creator} tag and {@code creator_did} carry its did:key signature of the §2.3 statement.
 * It is checked with the catalog's own {@link FilmEvent#parse} (creator signature included) before it is sent.
 */
record FilmEventDraft(String d, String title, String summary, List<String> genres, Long satsPerMb, boolean encrypted,
                      CreatorKey creator) {
  static final int MAX_LISTED = 2000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_EVENT_BYTES = 256 * 1024;

  /** The event before its signature: what {@link #sign} signs here, or a NIP-07 signer in the browser (backstage). */
  record Unsigned(long createdAt, List<List<String>> tags, String content) {}

  Event sign(Keys keys, BlossomHls.Film film, BlobFile poster, long now) {
    Unsigned u = unsigned(film, poster, now);
    Event event = EventSigner.sign(keys, now, FilmEvent.KIND, u.tags(), u.content());
    check(event);
    return event;
  }

  /** @throws PublishException when the catalog would refuse the event (checked with its own parser) */
  static void check(Event event) {
    try {
      FilmEvent.parse(event, MAX_EVENT_BYTES, true);
    } catch (InvalidEvent e) {
      throw new PublishException("the film event would be refused: " + e.getMessage());
    }
  }

  Unsigned unsigned(BlossomHls.Film film, BlobFile poster, long now) {
    List<List<String>> tags = new ArrayList<>();
    tags.add(List.of("d", d));
    tags.add(List.of("title", title));
    tags.add(List.of("x", film.master().sha256()));
    Set<String> distinct = new LinkedHashSet<>();
    for (String g : genres) distinct.add(g.strip().toLowerCase(Locale.ROOT));
    for (String g : distinct) if (!g.isEmpty()) tags.add(List.of("t", g));
    tags.add(List.of("published_at", Long.toString(now)));
    if (satsPerMb != null) tags.add(List.of("price", Long.toString(satsPerMb), "sat"));

    ObjectNode content = JSON.createObjectNode().put("title", title);
    if (summary != null && !summary.isBlank()) content.put("summary", summary);
    content.put("duration_s", film.durationSeconds());
    if (poster != null) content.put("poster", poster.blake3Ref());
    content.put("playlist", film.master().blake3Ref());
    List<BlobFile> rest = film.blobs().subList(1, film.blobs().size());
    List<String> listed = new ArrayList<>();
    if (rest.size() <= MAX_LISTED) {
      ArrayNode segments = content.putArray("segments");
      for (BlobFile b : rest) {
        segments.add(b.blake3Ref());
        listed.add(b.blake3Ref());
      }
    }
    if (creator != null) {
      String did = creator.did().did();
      byte[] digest = CreatorStatement.digest(CreatorStatement.text(d, title, film.durationSeconds(),
          poster == null ? null : poster.blake3Ref(), film.master().blake3Ref(), listed));
      tags.add(List.of("creator", did, Hex.encode(creator.sign(digest))));
      content.put("creator_did", did);
    }
    content.put("size_bytes", film.sizeBytes() + (poster == null ? 0 : poster.size()));
    if (encrypted) content.putObject("enc").put("scheme", "aes-128").put("key_ref", "nip98");
    if (satsPerMb != null) content.putObject("monetized").put("service", "content-download").put("sats_per_mb", satsPerMb);

    return new Unsigned(now, tags, content.toString());
  }
}
