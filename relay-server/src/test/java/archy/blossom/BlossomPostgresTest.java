package archy.blossom;

import static archy.testing.BlossomCalls.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import archy.nostr.Keys;
import archy.testing.BlossomCalls;
import archy.testing.PostgresSchema;
import archy.testing.TestNode;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core Blossom round trip with the index on the real PostgreSQL server. */
class BlossomPostgresTest {
  @TempDir Path dir;

  @Test
  void uploadGetListAndDeleteOnPostgres() throws Exception {
    try (PostgresSchema schema = PostgresSchema.create();
         TestNode node = TestNode.start(dir, "[storage]\nurl = \"" + schema.storageUrl() + "\"\n")) {
      BlossomCalls calls = new BlossomCalls(node.httpUrl());
      Keys alice = Keys.generate();
      Keys bob = Keys.generate();
      byte[] first = "first blob on postgres".getBytes(StandardCharsets.UTF_8);
      byte[] second = "second blob on postgres".getBytes(StandardCharsets.UTF_8);
      assertEquals(201, calls.upload(alice, first, "text/plain").statusCode());
      assertEquals(201, calls.upload(alice, second, "text/plain").statusCode());
      assertEquals(200, calls.upload(bob, second, "text/plain").statusCode());

      assertArrayEquals(first, calls.get("/" + sha256(first)).body());
      HttpResponse<byte[]> range = calls.get("/" + sha256(second), "Range", "bytes=7-10");
      assertEquals(206, range.statusCode());
      assertArrayEquals(Arrays.copyOfRange(second, 7, 11), range.body());

      JsonNode list = new ObjectMapper().readTree(calls.sendText(calls.request("/list/" + alice.publicKeyHex() + "?limit=1")
          .GET()).body());
      assertEquals(1, list.size());
      String cursor = list.get(0).path("sha256").asText();
      JsonNode next = new ObjectMapper().readTree(calls.sendText(calls.request("/list/" + alice.publicKeyHex()
          + "?limit=5&cursor=" + cursor).GET()).body());
      assertEquals(1, next.size());
      assertTrue(!next.get(0).path("sha256").asText().equals(cursor));

      assertEquals(200, calls.delete(alice, sha256(second)).statusCode());
      assertEquals(200, calls.get("/" + sha256(second)).statusCode(), "bob still owns it");
      assertTrue(calls.delete(bob, sha256(second)).body().contains("\"bytes_removed\":true"));
      assertEquals(404, calls.get("/" + sha256(second)).statusCode());
      assertEquals(404, calls.delete(bob, sha256(second)).statusCode());
    }
  }
}
