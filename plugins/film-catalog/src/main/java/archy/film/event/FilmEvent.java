package archy.film.event;

import archy.film.did.DidKey;
import archy.nostr.Event;
import archy.nostr.Hex;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A kind 30082 film event checked against PROTOCOLS.md §2.1 and §2.3. Hashes are kept as bare hex; the
 * content is kept as published, since the catalog API returns its fields verbatim.
 *
 * @param poster       BLAKE3 hex of the poster image, or null
 * @param playlist     BLAKE3 hex of the master playlist (the same bytes as {@code masterSha256})
 * @param satsPerMb    the price, or null for a free film
 * @param creatorDid   the creator's did:key, or null
 * @param publishedAt  the published_at tag, or null
 */
public record FilmEvent(String eventId, String pubkey, long createdAt, String d, String title, String masterSha256,
                        List<String> genres, Long publishedAt, Long satsPerMb, String creatorDid,
                        boolean creatorVerified, long durationSeconds, String summary, String poster, String playlist,
                        List<String> segments, boolean encrypted, String content) {
  public static final int KIND = 30082;
  private static final Pattern FILM_ID = Pattern.compile("[a-z0-9._-]{1,64}");
  private static final String BLAKE3_PREFIX = "blake3:";
  /** Duplicate keys would let two readers of one content see two different films. */
  private static final JsonMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  public FilmEvent {
    genres = List.copyOf(genres);
    segments = List.copyOf(segments);
  }

  /** Every blob of the film, playlist first, each once. */
  public List<String> blobs() {
    Set<String> all = new LinkedHashSet<>();
    all.add(playlist);
    if (poster != null) all.add(poster);
    all.addAll(segments);
    return List.copyOf(all);
  }

  public static boolean isFilmId(String d) {
    return d != null && FILM_ID.matcher(d).matches();
  }

  /**
   * Checks every rule of §2.1 and the creator signature of §2.3.
   *
   * @param verifyCreator false only for events that already passed this check on the way in (then a present
   *                      signature counts as verified: a bad one would have been refused)
   */
  public static FilmEvent parse(Event e, int maxBytes, boolean verifyCreator) throws InvalidEvent {
    if (e.kind() != KIND) throw new InvalidEvent("not a kind " + KIND + " film");
    String json = e.json();
    if (json.length() > maxBytes
        || (json.length() * 3L > maxBytes && json.getBytes(StandardCharsets.UTF_8).length > maxBytes)) {
      throw new InvalidEvent("film event is larger than " + maxBytes + " bytes");
    }
    String d = e.firstTagValue("d");
    if (!isFilmId(d)) throw new InvalidEvent("d tag must be 1-64 characters of a-z 0-9 . _ -");
    String title = e.firstTagValue("title");
    if (title == null || title.isBlank()) throw new InvalidEvent("title tag is required");
    String x = e.firstTagValue("x");
    if (!Hex.isLowerHex(x, 64)) {
      throw new InvalidEvent("x tag must be the 64-character lowercase hex sha256 of the master playlist");
    }
    List<String> genres = genres(e);
    Long publishedAt = null;
    String published = e.firstTagValue("published_at");
    if (published != null) publishedAt = nonNegative(published, "published_at");
    Long satsPerMb = Price.satsPerMb(e);
    List<String> creatorTag = creatorTag(e);

    JsonNode content = content(e.content());
    JsonNode contentTitle = content.get("title");
    if (contentTitle == null || !contentTitle.isTextual()) throw new InvalidEvent("content.title must be a string");
    if (!contentTitle.asText().equals(title)) throw new InvalidEvent("title tag and content.title differ");
    String summary = optionalText(content, "summary");
    JsonNode duration = content.get("duration_s");
    if (duration == null || !duration.isIntegralNumber() || !duration.canConvertToLong() || duration.asLong() <= 0) {
      throw new InvalidEvent("content.duration_s must be a positive integer");
    }
    String posterRef = optionalText(content, "poster");
    String poster = posterRef == null ? null : blake3(posterRef, "content.poster");
    String playlistRef = optionalText(content, "playlist");
    if (playlistRef == null) throw new InvalidEvent("content.playlist is required");
    String playlist = blake3(playlistRef, "content.playlist");
    List<String> segmentRefs = new ArrayList<>();
    List<String> segments = new ArrayList<>();
    JsonNode segmentArray = content.get("segments");
    if (segmentArray != null) {
      if (!segmentArray.isArray()) throw new InvalidEvent("content.segments must be an array");
      for (JsonNode segment : segmentArray) {
        if (!segment.isTextual()) throw new InvalidEvent("content.segments must hold blake3:<hex> strings");
        segmentRefs.add(segment.asText());
        segments.add(blake3(segment.asText(), "content.segments"));
      }
    }
    JsonNode size = content.get("size_bytes");
    if (size != null && (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0)) {
      throw new InvalidEvent("content.size_bytes must be a non-negative integer");
    }
    JsonNode enc = content.get("enc");
    if (enc != null && (!enc.isObject() || !enc.path("scheme").isTextual())) {
      throw new InvalidEvent("content.enc must be an object with a scheme");
    }
    checkMonetized(content.get("monetized"), satsPerMb);

    String creatorDid = optionalText(content, "creator_did");
    String tagDid = creatorTag == null ? null : creatorTag.get(1);
    if (creatorDid == null ? tagDid != null : !creatorDid.equals(tagDid)) {
      throw new InvalidEvent("creator tag and content.creator_did differ");
    }
    boolean verified = false;
    if (creatorDid != null) {
      DidKey key;
      try {
        key = DidKey.parse(creatorDid);
      } catch (IllegalArgumentException notEd25519) {
        throw new InvalidEvent("creator is not an Ed25519 did:key: " + notEd25519.getMessage());
      }
      if (creatorTag.size() >= 3) {
        String signature = creatorTag.get(2);
        if (verifyCreator) {
          byte[] digest = CreatorStatement.digest(CreatorStatement.text(d, title, duration.asLong(), posterRef,
              playlistRef, segmentRefs));
          if (!Hex.isLowerHex(signature, 128) || !key.verify(digest, Hex.decode(signature))) {
            throw new InvalidEvent("bad creator signature");
          }
        }
        verified = true;
      }
    }
    return new FilmEvent(e.id(), e.pubkey(), e.createdAt(), d, title, x, genres, publishedAt, satsPerMb, creatorDid,
        verified, duration.asLong(), summary, poster, playlist, segments, enc != null, e.content());
  }

  private static List<String> genres(Event e) throws InvalidEvent {
    Set<String> genres = new LinkedHashSet<>();
    for (List<String> tag : e.tags()) {
      if (tag.size() < 2 || !tag.get(0).equals("t")) continue;
      String genre = tag.get(1);
      if (genre.isBlank() || !genre.equals(genre.toLowerCase(Locale.ROOT))) {
        throw new InvalidEvent("t tags must be non-empty and lowercase");
      }
      genres.add(genre);
    }
    return List.copyOf(genres);
  }

  /** ["creator", did] (unsigned) or ["creator", did, signature hex], or null when absent. */
  private static List<String> creatorTag(Event e) throws InvalidEvent {
    List<String> found = null;
    for (List<String> tag : e.tags()) {
      if (tag.isEmpty() || !tag.get(0).equals("creator")) continue;
      if (found != null) throw new InvalidEvent("more than one creator tag");
      if (tag.size() < 2) {
        throw new InvalidEvent("creator tag must be [\"creator\", \"<did:key>\", \"<signature hex>\"]");
      }
      found = tag;
    }
    return found;
  }

  private static void checkMonetized(JsonNode monetized, Long satsPerMb) throws InvalidEvent {
    if (monetized == null || monetized.isNull()) {
      if (satsPerMb != null) throw new InvalidEvent("price tag and content.monetized disagree");
      return;
    }
    JsonNode sats = monetized.path("sats_per_mb");
    if (!monetized.isObject() || !sats.isIntegralNumber() || !sats.canConvertToLong()
        || !monetized.path("service").isTextual()) {
      throw new InvalidEvent("content.monetized must be {\"service\": \"…\", \"sats_per_mb\": <integer>}");
    }
    if (satsPerMb == null || sats.asLong() != satsPerMb) {
      throw new InvalidEvent("price tag and content.monetized disagree");
    }
  }

  private static JsonNode content(String text) throws InvalidEvent {
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null || !node.isObject()) throw new InvalidEvent("content must be a JSON object");
      return node;
    } catch (JsonProcessingException e) {
      throw new InvalidEvent("content is not valid JSON");
    }
  }

  private static String optionalText(JsonNode content, String field) throws InvalidEvent {
    JsonNode node = content.get(field);
    if (node == null || node.isNull()) return null;
    if (!node.isTextual()) throw new InvalidEvent("content." + field + " must be a string");
    return node.asText();
  }

  static String blake3(String ref, String what) throws InvalidEvent {
    if (!ref.startsWith(BLAKE3_PREFIX) || !Hex.isLowerHex(ref.substring(BLAKE3_PREFIX.length()), 64)) {
      throw new InvalidEvent(what + " must be blake3:<64 lowercase hex>");
    }
    return ref.substring(BLAKE3_PREFIX.length());
  }

  private static long nonNegative(String text, String what) throws InvalidEvent {
    if (text.isEmpty() || text.length() > 15 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidEvent(what + " must be unix seconds");
    }
    return Long.parseLong(text);
  }
}
