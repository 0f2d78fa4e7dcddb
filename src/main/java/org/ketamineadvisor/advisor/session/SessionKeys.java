package org.ketamineadvisor.advisor.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that encrypt session values at rest ({@code advisor.session.encryption-keys}: base64 keys of 32
 * bytes, comma-separated). The first encrypts; every one decrypts, so a key is rotated by putting the new one first
 * and removing the old one once the sessions it wrote have expired. Each key is named in the stored value by the
 * first 4 bytes of its SHA-256.
 */
record SessionKeys(List<Key> keys) {

  record Key(byte[] id, SecretKeySpec secret) {}

  SessionKeys {
    if (keys == null || keys.isEmpty()) {
      throw new IllegalArgumentException("advisor.session.encryption-keys is required with advisor.session.store=redis: "
          + "one or more base64 AES-256 keys (32 bytes; e.g. openssl rand -base64 32), the first one encrypting");
    }
    keys = List.copyOf(keys);
  }

  static SessionKeys from(String configured) {
    List<Key> keys = new ArrayList<>();
    int n = 0;
    for (String part : configured.split(",")) {
      String text = part.strip();
      if (text.isEmpty()) {
        continue;
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("advisor.session.encryption-keys[" + n + "] is not base64");
      }
      if (raw.length != 32) {
        throw new IllegalArgumentException("advisor.session.encryption-keys[" + n + "] must be 32 bytes (AES-256), got "
            + raw.length);
      }
      keys.add(new Key(id(raw), new SecretKeySpec(raw, "AES")));
      n++;
    }
    return new SessionKeys(keys);
  }

  Key current() {
    return keys.get(0);
  }

  Key byId(byte[] id) {
    for (Key k : keys) {
      if (MessageDigest.isEqual(k.id(), id)) {
        return k;
      }
    }
    return null;
  }

  private static byte[] id(byte[] raw) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(raw);
      return java.util.Arrays.copyOf(hash, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SessionKeys[" + keys.size() + " key(s)]"; // never the keys
  }

  static String describe(byte[] id) {
    return new String(Base64.getEncoder().encode(id), StandardCharsets.US_ASCII);
  }
}
