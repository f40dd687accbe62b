package archy.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void defaultsWithoutAFile() throws Exception {
    Config c = ConfigLoader.load(null, ConfigLoader.Overrides.none());
    assertEquals("127.0.0.1", c.server().host());
    assertEquals(7777, c.server().port());
    assertEquals(7778, c.server().quicPort());
    assertEquals(Path.of("./data"), c.server().dataDir());
    assertEquals("http://127.0.0.1:7777", c.server().publicUrl());
    assertEquals("sqlite", c.storage().url());
    assertTrue(c.plugins().all());
    assertEquals(500, c.relay().defaultLimit());
    assertEquals(65_536, c.relay().maxEventBytesFor(1));
    assertEquals(262_144, c.relay().maxEventBytesFor(30082), "film events may be 256 KiB (PROTOCOLS.md 2.1)");
    assertTrue(c.section("film-catalog").isEmpty());
  }

  @Test
  void quicPortFollowsTheHttpPortAndLimitsAreRead() throws Exception {
    Config c = ConfigLoader.parse("[server]\nport = 8000\n[quic]\nmax_streams_per_connection = 7\n",
        ConfigLoader.Overrides.none());
    assertEquals(8001, c.server().quicPort(), "default quic_port is the HTTP port + 1");
    assertEquals(7, c.quic().maxStreamsPerConnection());
    assertEquals(65_536, c.quic().maxHeaderBytes());
    assertEquals(0, ConfigLoader.parse("[server]\nquic_port = 0\n", ConfigLoader.Overrides.none()).server().quicPort());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.parse("[quic]\nmax_header_bytes = 100000\n", ConfigLoader.Overrides.none()));
    assertTrue(e.getMessage().contains("quic.max_header_bytes"), e.getMessage());
  }

  @Test
  void fileThenEnvironmentThenFlags() throws Exception {
    String toml = """
        [server]
        host = "0.0.0.0"
        port = 8000
        public_url = "https://relay.example/"
        [storage]
        url = "postgresql://archy@db:5432/archy"
        [relay]
        auth_required_kinds = [4, 1059]
        [relay.max_event_bytes_by_kind]
        "30082" = 262144
        [plugins]
        enabled = ["film-catalog"]
        [film-catalog]
        trusted_publishers = ["abc"]
        """;
    Config fromFile = ConfigLoader.parse(toml, ConfigLoader.Overrides.none());
    assertEquals("0.0.0.0", fromFile.server().host());
    assertEquals("https://relay.example", fromFile.server().publicUrl());
    assertEquals(Set.of(4, 1059), fromFile.relay().authRequiredKinds());
    assertEquals(262_144, fromFile.relay().maxEventBytesFor(30082));
    assertEquals(List.of("film-catalog"), fromFile.plugins().enabled());
    assertEquals("abc", fromFile.section("film-catalog").path("trusted_publishers").path(0).asText());

    Map<String, String> env = Map.of("ARCHY_PORT", "9000", "ARCHY_HOST", "127.0.0.2", "ARCHY_STORAGE", "sqlite");
    Config withEnv = ConfigLoader.parse(toml, ConfigLoader.Overrides.none().withEnvironment(env));
    assertEquals(9000, withEnv.server().port());
    assertEquals("127.0.0.2", withEnv.server().host());
    assertEquals("sqlite", withEnv.storage().url());

    Config withFlag = ConfigLoader.parse(toml,
        new ConfigLoader.Overrides(null, 9100, null, null, null, null).withEnvironment(env));
    assertEquals(9100, withFlag.server().port(), "a flag beats the environment");
  }

  @Test
  void badValuesAreNamed() throws Exception {
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.Overrides.none().withEnvironment(Map.of("ARCHY_PORT", "seven")));
    assertTrue(port.getMessage().contains("ARCHY_PORT"));
    IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.parse("[relay.max_event_bytes_by_kind]\nfilms = 3\n", ConfigLoader.Overrides.none()));
    assertTrue(kind.getMessage().contains("films"));
    assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.parse("[relay]\nmax_tags = \"many\"\n", ConfigLoader.Overrides.none()));
    IllegalArgumentException frame = assertThrows(IllegalArgumentException.class,
        () -> ConfigLoader.parse("[relay]\nnegentropy_frame_bytes = 1000\n", ConfigLoader.Overrides.none()));
    assertTrue(frame.getMessage().contains("negentropy_frame_bytes"), frame.getMessage());
    assertEquals(0, ConfigLoader.parse("[relay]\nnegentropy_frame_bytes = 0\n", ConfigLoader.Overrides.none())
        .relay().negentropyFrameBytes(), "0 is unlimited");
  }

  @Test
  void configFileFromFlagThenEnvironment() {
    assertEquals(Path.of("a.toml"), ConfigLoader.configFile(Path.of("a.toml"), Map.of("ARCHY_CONFIG", "b.toml")));
    assertEquals(Path.of("b.toml"), ConfigLoader.configFile(null, Map.of("ARCHY_CONFIG", "b.toml")));
    assertNull(ConfigLoader.configFile(null, Map.of("ARCHY_CONFIG", " ")));
  }

  @Test
  void noPluginListMeansAll() throws Exception {
    assertNull(ConfigLoader.parse("", ConfigLoader.Overrides.none()).plugins().enabled());
  }
}
