package archy.blossom;

import archy.config.Blossom;
import archy.nostr.Hex;
import archy.nostr.Nip19;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * BUD-12: {@code GET /list/<pubkey>} pages through a key's blobs with {@code cursor} (the sha256 of the
 * last blob seen) and {@code limit}; {@code DELETE /<sha256>} removes the caller's claim, and the bytes
 * go when no claim remains. A delete by a key that holds no claim is a 404 ("not available for deletion").
 */
final class OwnerEndpoints {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final BlobStore store;
  private final BlossomAuth auth;
  private final Blossom config;
  private final String publicUrl;

  OwnerEndpoints(BlobStore store, BlossomAuth auth, Blossom config, String publicUrl) {
    this.store = store;
    this.auth = auth;
    this.config = config;
    this.publicUrl = publicUrl;
  }

  void list(Request request, Response response, Callback callback, String who) {
    if (config.list() == Blossom.ListMode.OFF) {
      Replies.error(request, response, callback, 404, "listing is disabled on this server");
      return;
    }
    String pubkey = pubkey(who);
    if (pubkey == null) {
      Replies.error(request, response, callback, 400, "the pubkey must be 64 hex characters or an npub");
      return;
    }
    if (config.list() == Blossom.ListMode.OWNER) {
      switch (auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), "list", null)) {
        case BlossomAuth.Result.Authorized a when a.pubkey().equals(pubkey) -> { }
        case BlossomAuth.Result.Authorized a -> {
          Replies.error(request, response, callback, 403, "only the key itself may list its blobs");
          return;
        }
        case BlossomAuth.Result.Missing m -> {
          Replies.error(request, response, callback, 401, "listing needs a BUD-11 authorization (t=list)");
          return;
        }
        case BlossomAuth.Result.Failed f -> {
          Replies.error(request, response, callback, f.status(), f.reason());
          return;
        }
      }
    }
    Fields query = Request.extractQueryParameters(request);
    String cursor = query.getValue("cursor");
    if (cursor != null && !Hex.isLowerHex(cursor, 64)) {
      Replies.error(request, response, callback, 400, "cursor must be a blob's sha256");
      return;
    }
    long limit;
    long since;
    long until;
    try {
      limit = number(query.getValue("limit"), DEFAULT_LIMIT);
      since = number(query.getValue("since"), 0);
      until = number(query.getValue("until"), Long.MAX_VALUE);
    } catch (NumberFormatException e) {
      Replies.error(request, response, callback, 400, "limit, since and until must be non-negative integers");
      return;
    }
    List<BlobIndex.Owned> page = store.index().list(pubkey, cursor, (int) Math.min(Math.max(limit, 1), MAX_LIMIT),
        since, until);
    Replies.json(request, response, callback, 200, Descriptor.list(publicUrl, page));
  }

  void delete(Request request, Response response, Callback callback, String sha256) throws IOException {
    String pubkey;
    switch (auth.check(request.getHeaders().get(HttpHeader.AUTHORIZATION), "delete", sha256)) {
      case BlossomAuth.Result.Authorized a -> pubkey = a.pubkey();
      case BlossomAuth.Result.Missing m -> {
        Replies.error(request, response, callback, 401, "deleting needs a BUD-11 authorization (t=delete)");
        return;
      }
      case BlossomAuth.Result.Failed f -> {
        Replies.error(request, response, callback, f.status(), f.reason());
        return;
      }
    }
    switch (store.release(sha256, pubkey)) {
      case NOT_OWNER -> Replies.error(request, response, callback, 404, "this key holds no blob " + sha256);
      case CLAIM_REMOVED -> Replies.json(request, response, callback, 200, "{\"deleted\":true,\"bytes_removed\":false}");
      case LAST_CLAIM_REMOVED -> Replies.json(request, response, callback, 200, "{\"deleted\":true,\"bytes_removed\":true}");
    }
  }

  private static String pubkey(String s) {
    if (s.startsWith("npub1")) {
      try {
        return Nip19.decode(s) instanceof Nip19.Pubkey p ? p.hex() : null;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    String hex = s.toLowerCase(Locale.ROOT);
    return Hex.isLowerHex(hex, 64) ? hex : null;
  }

  private static long number(String s, long fallback) {
    if (s == null || s.isEmpty()) return fallback;
    long v = Long.parseLong(s);
    if (v < 0) throw new NumberFormatException();
    return v;
  }
}
