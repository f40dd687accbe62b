package archy.ecash.encoding;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration for Cashu messages: unknown fields are ignored (NUTs grow fields all the time),
 * unknown enum values map to an {@code UNKNOWN} constant, absent optional fields are not written, and floats
 * never stand in for amounts.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
      .build();

  private Json() {}

  /** Thread-safe once built; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
