package org.ketamineadvisor.advisor.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.serializer.SerializationException;

/** Session values at rest: encrypted (AES-256-GCM), readable after a key rotation, refused when altered. */
class EncryptingSessionSerializerTest {

  private static final String OLD = key((byte) 1);
  private static final String NEW = key((byte) 2);

  private static String key(byte fill) {
    byte[] raw = new byte[32];
    java.util.Arrays.fill(raw, fill);
    return Base64.getEncoder().encodeToString(raw);
  }

  @Test
  void aValueIsUnreadableAtRestAndComesBackWhole() {
    EncryptingSessionSerializer serializer = new EncryptingSessionSerializer(SessionKeys.from(NEW));
    byte[] stored = serializer.serialize("Maria Elena Costa, access token eyJhbGciOi");
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("Costa").doesNotContain("eyJ");
    assertThat(serializer.deserialize(stored)).isEqualTo("Maria Elena Costa, access token eyJhbGciOi");
    assertThat(serializer.serialize("same")).as("a fresh IV each time").isNotEqualTo(serializer.serialize("same"));
  }

  @Test
  void aRotatedKeyStillReadsWhatTheOldOneWroteAndAForgottenOneIsRefused() {
    byte[] written = new EncryptingSessionSerializer(SessionKeys.from(OLD)).serialize("statement");
    assertThat(new EncryptingSessionSerializer(SessionKeys.from(NEW + "," + OLD)).deserialize(written))
        .isEqualTo("statement");
    assertThatThrownBy(() -> new EncryptingSessionSerializer(SessionKeys.from(NEW)).deserialize(written))
        .isInstanceOf(SerializationException.class).hasMessageContaining("a key no longer configured");
  }

  @Test
  void anAlteredValueFailsItsIntegrityCheck() {
    EncryptingSessionSerializer serializer = new EncryptingSessionSerializer(SessionKeys.from(NEW));
    byte[] stored = serializer.serialize("statement");
    stored[stored.length - 1] ^= 1;
    assertThatThrownBy(() -> serializer.deserialize(stored)).isInstanceOf(SerializationException.class)
        .hasMessageContaining("integrity");
  }

  @Test
  void missingOrMalformedKeysAreRefusedWithTheKeyName() {
    assertThatThrownBy(() -> SessionKeys.from("")).hasMessageContaining("advisor.session.encryption-keys is required");
    assertThatThrownBy(() -> SessionKeys.from("not base64!")).hasMessageContaining("encryption-keys[0] is not base64");
    assertThatThrownBy(() -> SessionKeys.from(Base64.getEncoder().encodeToString(new byte[16])))
        .hasMessageContaining("must be 32 bytes (AES-256), got 16");
    assertThat(SessionKeys.from(NEW).toString()).doesNotContain(NEW);
  }
}
