package org.ketamineadvisor.advisor.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ketamineadvisor.advisor.fhir.chart.ExistingPlan;
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

  @Test
  void aPlanBeingRevisedThatThePreviousVersionWroteUnderTheClassesOldNameIsReadDuringARollingUpgrade()
      throws Exception {
    var plan = new ExistingPlan("CarePlan/7", "2", "active", "Ketamine infusion course (P-CRPS)", "desc",
        LocalDate.of(2026, 5, 29), LocalDate.of(2026, 6, 2), LocalDate.of(2026, 6, 15), "Dr Ada", null,
        List.of(LocalDate.of(2026, 6, 2)), List.of(), new ExistingPlan.Dosing(100, 240, new BigDecimal("90.0")),
        "Goal/1", null, List.of());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ArrayList<>(List.of(plan)));
    }
    // what the previous version wrote: the same record under org.ketamineadvisor.advisor.fhir
    byte[] old = renamed(renamed(bytes.toByteArray(), "org.ketamineadvisor.advisor.fhir.chart.ExistingPlan$Dosing",
        "org.ketamineadvisor.advisor.fhir.ExistingPlan$Dosing"), "org.ketamineadvisor.advisor.fhir.chart.ExistingPlan",
        "org.ketamineadvisor.advisor.fhir.ExistingPlan");
    assertThat(new String(old, StandardCharsets.ISO_8859_1)).doesNotContain("fhir.chart");
    EncryptingSessionSerializer serializer = new EncryptingSessionSerializer(SessionKeys.from(NEW));

    assertThat(serializer.deserialize(serializer.seal(old))).isEqualTo(List.of(plan));
  }

  @Test
  void aValueOfAClassThatNoLongerExistsIsRefusedAsUnreadableNeverHalfRead() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ExistingPlan.Dosing(100, 240, null));
    }
    byte[] gone = renamed(bytes.toByteArray(), "org.ketamineadvisor.advisor.fhir.chart.ExistingPlan$Dosing",
        "org.ketamineadvisor.advisor.gone.ExistingPlan$Dosing");
    EncryptingSessionSerializer serializer = new EncryptingSessionSerializer(SessionKeys.from(NEW));

    assertThatThrownBy(() -> serializer.deserialize(serializer.seal(gone))).isInstanceOf(SerializationException.class)
        .hasMessageContaining("could not be read (ClassNotFoundException)");
  }

  /** The stream with a class name replaced (a Java-serialized class name is a 2-byte length and modified UTF-8). */
  private static byte[] renamed(byte[] stream, String from, String to) {
    byte[] find = withLength(from);
    byte[] put = withLength(to);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < stream.length) {
      if (i + find.length <= stream.length && Arrays.equals(stream, i, i + find.length, find, 0, find.length)) {
        out.writeBytes(put);
        i += find.length;
      } else {
        out.write(stream[i++]);
      }
    }
    return out.toByteArray();
  }

  private static byte[] withLength(String name) {
    byte[] utf = name.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(2 + utf.length).putShort((short) utf.length).put(utf).array();
  }
}
