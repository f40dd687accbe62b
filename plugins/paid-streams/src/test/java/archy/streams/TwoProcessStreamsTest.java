package archy.streams;

import static archy.streams.StreamCalls.address;
import static archy.streams.StreamCalls.authed;
import static archy.streams.StreamCalls.drain;
import static archy.streams.StreamCalls.notices;
import static archy.streams.StreamCalls.observe;
import static archy.streams.StreamCalls.offer;
import static archy.streams.StreamCalls.payment;
import static archy.streams.StreamCalls.seqs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.ecash.Db;
import archy.ecash.TestMint;
import archy.nostr.Keys;
import archy.store.Database;
import archy.testing.PostgresSchema;
import archy.testing.RelayCalls;
import archy.testing.RelayProcess;
import archy.testing.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay processes ({@code archy run}, each a JVM of its own) on one fresh PostgreSQL database: a subscriber pays
 * on the first and reads on the second. The payment is credited once (the same token re-sent on the second is a
 * duplicate), each observation is debited once however many of its connections on either process receive it, and
 * every connection gets the paid observations in seq order, without duplicates or gaps.
 */
class TwoProcessStreamsTest {
  private static final long PRICE = 2;

  @TempDir Path dir;

  @Test
  void payOnOneProcessReadOnTheOther() throws Exception {
    Keys publisher = Keys.generate();
    Keys subscriber = Keys.generate();
    String stream = address(publisher, "feed");
    String filter = "{\"kinds\":[1083],\"#a\":[\"" + stream + "\"]}";
    try (PostgresSchema schema = PostgresSchema.create();
         TestMint mint = TestMint.start("two-processes-" + System.nanoTime(), dir.resolve("payer"))) {
      String toml = "[storage]\nurl = \"" + schema.storageUrl() + "\"\n" + StreamNodes.config(mint.url(), 100_000);
      try (RelayProcess a = RelayProcess.start(Files.createDirectories(dir.resolve("a")), toml);
           RelayProcess b = RelayProcess.start(Files.createDirectories(dir.resolve("b")), toml);
           WsClient pub = authed(a.wsUrl(), publisher);
           WsClient payer = authed(a.wsUrl(), subscriber);
           WsClient reader = authed(b.wsUrl(), subscriber)) {
        // the offer and three observations stored through a; b has not seen the offer stored
        offer(pub, publisher, "feed", PRICE);
        for (long seq = 1; seq <= 3; seq++) observe(pub, publisher, "feed", seq);

        reader.send("[\"REQ\",\"live\"," + filter + "]");
        List<JsonNode> none = drain(reader, 1500);
        assertEquals(List.of(), seqs(none), "b sends no observation of a priced stream unpaid: " + none);
        assertEquals(1, notices(none, "payment-required: " + stream), none.toString());

        // paid on a (encrypted to a's key), where no subscription is open
        String token = mint.token(5 * PRICE).encode();
        JsonNode ok = RelayCalls.publish(payer, payment(subscriber, nodeKey(a), stream, token));
        assertTrue(ok.path(2).asBoolean(), ok.toString());
        assertEquals(List.of(), seqs(drain(payer, 500)));

        // the same token on b: already redeemed through a, so a duplicate, not a second credit
        JsonNode dup = RelayCalls.publish(reader, payment(subscriber, nodeKey(b), stream, token));
        assertTrue(dup.path(2).asBoolean() && dup.path(3).asText().startsWith("duplicate:"), dup.toString());

        // b's open subscription: caught up in order (1-3) with the next live observation, stored through a
        observe(pub, publisher, "feed", 4);
        observe(pub, publisher, "feed", 5);
        observe(pub, publisher, "feed", 6);
        List<JsonNode> caughtUp = drain(reader, 5, 2000);
        assertEquals(List.of("1", "2", "3", "4", "5"), seqsOf(caughtUp, "live"), caughtUp.toString());
        assertEquals(1, notices(caughtUp, "payment-required: " + stream), caughtUp.toString());

        // paid on b this time: 6 at once; then subscriptions on both processes, the stored ones re-sent free
        reader.send("[\"EVENT\"," + payment(subscriber, nodeKey(b), stream, mint.token(3 * PRICE).encode()).json() + "]");
        List<JsonNode> paidOnB = drain(reader, 1, 1500);
        assertTrue(paidOnB.stream().anyMatch(m -> m.path(0).asText().equals("OK") && m.path(2).asBoolean()), paidOnB.toString());
        assertEquals(List.of("6"), seqsOf(paidOnB, "live"), paidOnB.toString());
        payer.send("[\"REQ\",\"on-a\"," + filter + "]");
        List<JsonNode> stored = drain(payer, 6, 1500);
        assertEquals(range(1, 6), seqsOf(stored, "on-a").stream().sorted().toList(), stored.toString());

        // 7 and 8 reach both processes' subscriptions and are debited once each (else 8 would find no credit)
        for (long seq = 7; seq <= 9; seq++) observe(pub, publisher, "feed", seq);
        List<JsonNode> onB = drain(reader, 2, 2000);
        List<JsonNode> onA = drain(payer, 2, 500);
        assertEquals(List.of("7", "8"), seqsOf(onB, "live"), onB.toString());
        assertEquals(List.of("7", "8"), seqsOf(onA, "on-a"), onA.toString());

        try (Database db = Database.open(schema.storageUrl(), dir.resolve("reader"))) {
          Grants grants = new Grants(new Db(db.dataSource(), db.dialect()), Clock.systemUTC(), 0);
          assertEquals(new Grants.Grant(0, 8), grants.grant(subscriber.publicKeyHex(), stream), "8 paid, 8 debited");
          PublisherAccounts.Account account = PublisherAccounts.open(db).accounts().stream()
              .filter(x -> x.publisher().equals(publisher.publicKeyHex())).findFirst().orElseThrow();
          assertEquals(8, account.observationsSold(), account.toString());
          assertEquals(8 * PRICE, account.earnedSats() + account.relaySats(), account.toString());
        }
      }
    }
  }

  private static String nodeKey(RelayProcess p) throws Exception {
    return RelayCalls.nip11("http://127.0.0.1:" + p.port).path("pubkey").asText();
  }

  private static List<String> range(long from, long to) {
    return LongStream.rangeClosed(from, to).mapToObj(Long::toString).sorted().toList();
  }

  /** Seqs of the EVENTs on subscription {@code subId}, in arrival order. */
  private static List<String> seqsOf(List<JsonNode> messages, String subId) {
    return seqs(messages.stream().filter(m -> m.path(1).asText().equals(subId)).toList());
  }
}
