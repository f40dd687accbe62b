package archy.ecash.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import archy.ecash.Vectors;
import archy.ecash.keyset.UnsupportedKeysetException;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** NUT-13 vectors ({@code tests/13-tests.md}): v1 (BIP-32) and v2 (HMAC-SHA256) secrets and blinding factors. */
class DeterministicSecretsVectorsTest {
  private static final JsonNode NUT13 = Vectors.load("nut13");

  @Test
  void v1KeysetIdInteger() {
    JsonNode v1 = NUT13.get("v1");
    assertEquals(v1.get("keyset_id_int").asInt(), DeterministicSecrets.keysetIdInt(v1.get("keyset_id").asText()));
    assertEquals(v1.get("derivation_path").asText(),
        "m/129372'/0'/" + DeterministicSecrets.keysetIdInt(v1.get("keyset_id").asText()) + "'/{counter}'");
  }

  @ParameterizedTest(name = "v1 counter {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void v1SecretsAndBlindingFactors(int counter) throws Exception {
    JsonNode v1 = NUT13.get("v1");
    DeterministicSecrets.Derived d = DeterministicSecrets.fromMnemonic(v1.get("mnemonic").asText())
        .derive(v1.get("keyset_id").asText(), counter);
    assertEquals(v1.get("secrets").get(counter).asText(), d.secret());
    assertEquals(v1.get("r").get(counter).asText(), d.r().toHex());
    assertEquals(v1.get("derivation_paths").get(counter).asText(),
        "m/129372'/0'/" + v1.get("keyset_id_int").asInt() + "'/" + counter + "'");
  }

  @ParameterizedTest(name = "v2 counter {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void v2SecretsAndBlindingFactors(int counter) throws Exception {
    JsonNode v2 = NUT13.get("v2");
    DeterministicSecrets.Derived d = DeterministicSecrets.fromMnemonic(v2.get("mnemonic").asText())
        .derive(v2.get("keyset_id").asText(), counter);
    assertEquals(v2.get("secrets").get(counter).asText(), d.secret());
    assertEquals(v2.get("r").get(counter).asText(), d.r().toHex());
  }

  @Test
  void unsupportedVersionsAndBadCountersAreRefused() {
    DeterministicSecrets s = DeterministicSecrets.fromMnemonic(NUT13.get("v2").get("mnemonic").asText());
    assertThrows(UnsupportedKeysetException.class, () -> s.derive("02" + "ab".repeat(32), 0));
    assertThrows(IllegalArgumentException.class, () -> s.derive("009a1f293253e41e", -1));
    assertThrows(IllegalArgumentException.class, () -> s.derive("009a1f293253e41e", 1L << 31));
  }
}
