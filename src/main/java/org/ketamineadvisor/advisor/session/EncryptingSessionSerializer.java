package org.ketamineadvisor.advisor.session;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;
import org.springframework.util.ClassUtils;

/**
 * Session values as they are stored in Redis: Java-serialized, then AES-256-GCM encrypted with a fresh 12-byte IV
 * and the key's id in front ({@code 1 | key id (4) | IV (12) | ciphertext + tag}). Nothing in Redis shows a token,
 * a patient's name or a clinician's statement; a value written under a key no longer configured cannot be read
 * (the clinician re-launches), never half-read.
 */
final class EncryptingSessionSerializer implements RedisSerializer<Object> {

  private static final byte FORMAT = 1;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SessionKeys keys;
  private static final ClassLoader LOADER = EncryptingSessionSerializer.class.getClassLoader();

  /**
   * Classes that moved to another package while sessions may hold them (a rolling upgrade reads what the previous
   * version wrote): the old name → the new one. Records only, whose serialized form does not depend on the name.
   * Drop an entry once every instance runs a version that writes the new name (one release later).
   */
  static final Map<String, String> MOVED = Map.of(
      "org.ketamineadvisor.advisor.fhir.ExistingPlan", "org.ketamineadvisor.advisor.fhir.chart.ExistingPlan",
      "org.ketamineadvisor.advisor.fhir.ExistingPlan$Dosing",
      "org.ketamineadvisor.advisor.fhir.chart.ExistingPlan$Dosing");

  private final JdkSerializationRedisSerializer java = new JdkSerializationRedisSerializer(LOADER);
  private final SecureRandom random = new SecureRandom();

  EncryptingSessionSerializer(SessionKeys keys) {
    this.keys = keys;
  }

  @Override
  public byte[] serialize(Object value) {
    if (value == null) {
      return new byte[0];
    }
    return seal(java.serialize(value));
  }

  /** Encrypts a serialized value under the current key. */
  byte[] seal(byte[] plain) {
    SessionKeys.Key key = keys.current();
    byte[] iv = new byte[IV_BYTES];
    random.nextBytes(iv);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, iv));
      byte[] sealed = cipher.doFinal(plain);
      return ByteBuffer.allocate(1 + key.id().length + IV_BYTES + sealed.length).put(FORMAT).put(key.id()).put(iv)
          .put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new SerializationException("could not encrypt a session value", e);
    }
  }

  @Override
  public Object deserialize(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < 1 + 4 + IV_BYTES + TAG_BITS / 8 || in.get() != FORMAT) {
      throw new SerializationException("a session value in an unknown format (not written by this app's serializer)");
    }
    byte[] id = new byte[4];
    in.get(id);
    SessionKeys.Key key = keys.byId(id);
    if (key == null) {
      throw new SerializationException("a session value encrypted with a key no longer configured (key id "
          + SessionKeys.describe(id) + ")");
    }
    byte[] iv = new byte[IV_BYTES];
    in.get(iv);
    byte[] sealed = new byte[in.remaining()];
    in.get(sealed);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, iv));
      return read(cipher.doFinal(sealed));
    } catch (GeneralSecurityException e) {
      throw new SerializationException("a session value failed its integrity check", e);
    }
  }

  /** Java deserialization with the app's class loader, reading a moved class ({@link #MOVED}) under its new name. */
  private static Object read(byte[] plain) {
    try (ObjectInputStream in = new ConfigurableObjectInputStream(new ByteArrayInputStream(plain), LOADER) {
      @Override
      protected Class<?> resolveClass(ObjectStreamClass description) throws IOException, ClassNotFoundException {
        String moved = MOVED.get(description.getName());
        return moved == null ? super.resolveClass(description) : ClassUtils.forName(moved, LOADER);
      }
    }) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new SerializationException("a session value could not be read (" + e.getClass().getSimpleName() + ")", e);
    }
  }
}
