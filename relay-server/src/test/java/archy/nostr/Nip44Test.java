package archy.nostr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published NIP-44 v2 vectors, verbatim: src/test/resources/nip44.vectors.json is paulmillr/nip44's
 * javascript/test/nip44.vectors.json (commit 671a1f04, sha256 269ed0f6…5040).
 */
class Nip44Test {
  private static JsonNode valid;
  private static JsonNode invalid;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = Nip44Test.class.getResourceAsStream("/nip44.vectors.json")) {
      JsonNode v2 = new ObjectMapper().readTree(in).path("v2");
      valid = v2.path("valid");
      invalid = v2.path("invalid");
    }
  }

  @Test
  void conversationKeys() {
    assertEquals(35, valid.path("get_conversation_key").size());
    for (JsonNode v : valid.path("get_conversation_key")) {
      assertEquals(v.path("conversation_key").asText(),
          Hex.encode(Nip44.conversationKey(v.path("sec1").asText(), v.path("pub2").asText())), v.toString());
    }
  }

  @Test
  void invalidConversationKeys() {
    for (JsonNode v : invalid.path("get_conversation_key")) {
      assertThrows(IllegalArgumentException.class,
          () -> Nip44.conversationKey(v.path("sec1").asText(), v.path("pub2").asText()), v.path("note").asText());
    }
  }

  @Test
  void messageKeys() {
    JsonNode mk = valid.path("get_message_keys");
    byte[] conversationKey = Hex.decode(mk.path("conversation_key").asText());
    for (JsonNode v : mk.path("keys")) {
      byte[] keys = Nip44.messageKeys(conversationKey, Hex.decode(v.path("nonce").asText()));
      assertEquals(v.path("chacha_key").asText(), Hex.encode(java.util.Arrays.copyOfRange(keys, 0, 32)));
      assertEquals(v.path("chacha_nonce").asText(), Hex.encode(java.util.Arrays.copyOfRange(keys, 32, 44)));
      assertEquals(v.path("hmac_key").asText(), Hex.encode(java.util.Arrays.copyOfRange(keys, 44, 76)));
    }
  }

  @Test
  void paddedLengths() {
    for (JsonNode v : valid.path("calc_padded_len")) {
      assertEquals(v.get(1).asInt(), Nip44.paddedLength(v.get(0).asInt()), v.toString());
    }
  }

  @Test
  void encryptDecrypt() throws Exception {
    for (JsonNode v : valid.path("encrypt_decrypt")) {
      byte[] key = Nip44.conversationKey(v.path("sec1").asText(), Keys.parse(v.path("sec2").asText()).publicKeyHex());
      assertEquals(v.path("conversation_key").asText(), Hex.encode(key));
      byte[] ourSide = Nip44.conversationKey(v.path("sec2").asText(), Keys.parse(v.path("sec1").asText()).publicKeyHex());
      assertArrayEquals(key, ourSide);
      String payload = Nip44.encrypt(v.path("plaintext").asText(), key, Hex.decode(v.path("nonce").asText()));
      assertEquals(v.path("payload").asText(), payload);
      assertEquals(v.path("plaintext").asText(), Nip44.decrypt(payload, key));
    }
  }

  @Test
  void longMessages() throws Exception {
    for (JsonNode v : valid.path("encrypt_decrypt_long_msg")) {
      String plaintext = v.path("pattern").asText().repeat(v.path("repeat").asInt());
      assertEquals(v.path("plaintext_sha256").asText(), sha256(plaintext));
      byte[] key = Hex.decode(v.path("conversation_key").asText());
      String payload = Nip44.encrypt(plaintext, key, Hex.decode(v.path("nonce").asText()));
      assertEquals(v.path("payload_sha256").asText(), sha256(payload));
      assertEquals(plaintext, Nip44.decrypt(payload, key));
    }
  }

  @Test
  void invalidMessageLengths() {
    byte[] key = new byte[32];
    for (JsonNode v : invalid.path("encrypt_msg_lengths")) {
      String plaintext = "a".repeat(v.asInt());
      assertThrows(IllegalArgumentException.class, () -> Nip44.encrypt(plaintext, key), "length " + v.asInt());
    }
  }

  @Test
  void invalidPayloads() {
    assertEquals(12, invalid.path("decrypt").size());
    for (JsonNode v : invalid.path("decrypt")) {
      byte[] key = Hex.decode(v.path("conversation_key").asText());
      assertThrows(Nip44.DecryptException.class, () -> Nip44.decrypt(v.path("payload").asText(), key),
          v.path("note").asText());
    }
  }

  private static String sha256(String s) throws Exception {
    return Hex.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
