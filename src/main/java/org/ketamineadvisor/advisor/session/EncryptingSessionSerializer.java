package org.ketamineadvisor.advisor.session;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.data.redis.serializer.SerializationException;

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
  private final JdkSerializationRedisSerializer java = new JdkSerializationRedisSerializer(
      EncryptingSessionSerializer.class.getClassLoader());
  private final SecureRandom random = new SecureRandom();

  EncryptingSessionSerializer(SessionKeys keys) {
    this.keys = keys;
  }

  @Override
  public byte[] serialize(Object value) {
    if (value == null) {
      return new byte[0];
    }
    byte[] plain = java.serialize(value);
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
      return java.deserialize(cipher.doFinal(sealed));
    } catch (GeneralSecurityException e) {
      throw new SerializationException("a session value failed its integrity check", e);
    }
  }
}
