package archy.blossom;

import archy.nostr.Event;
import archy.nostr.EventParser;
import archy.nostr.Hex;
import archy.nostr.InvalidEventException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * BUD-09 {@code PUT /report}: the body is a signed NIP-56 kind 1984 event with {@code x} tags naming
 * reported blobs. Reports are stored for the operator ({@code blossom_reports}); nothing is removed
 * automatically. The event's own signature is the authorization, so no BUD-11 token is needed.
 */
final class ReportEndpoint {
  private static final int MAX_BODY = 64 * 1024;

  private final BlobIndex index;
  private final EventParser parser;
  private final Clock clock;

  ReportEndpoint(BlobIndex index, EventParser parser, Clock clock) {
    this.index = index;
    this.parser = parser;
    this.clock = clock;
  }

  void report(Request request, Response response, Callback callback) throws IOException {
    byte[] body = Content.Source.asInputStream(request).readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      Replies.error(request, response, callback, 413, "a report is at most " + MAX_BODY + " bytes");
      return;
    }
    Event event;
    try {
      event = parser.parse(new String(body, StandardCharsets.UTF_8));
    } catch (InvalidEventException e) {
      Replies.error(request, response, callback, 400, "invalid report event: " + e.getMessage());
      return;
    }
    if (event.kind() != 1984) {
      Replies.error(request, response, callback, 400, "a report must be a kind 1984 event (NIP-56)");
      return;
    }
    List<List<String>> reported = new ArrayList<>();
    for (List<String> tag : event.tags()) {
      if (tag.size() >= 2 && tag.get(0).equals("x") && Hex.isLowerHex(tag.get(1), 64)) {
        reported.add(List.of(tag.get(1), tag.size() >= 3 ? tag.get(2) : "other"));
      }
    }
    if (reported.isEmpty()) {
      Replies.error(request, response, callback, 400, "a report needs at least one x tag with a blob's sha256");
      return;
    }
    int added = index.report(event.id(), event.pubkey(), reported, event.content(), event.json(),
        clock.instant().getEpochSecond());
    Replies.json(request, response, callback, 200, "{\"reported\":" + reported.size() + ",\"new\":" + added + "}");
  }
}
