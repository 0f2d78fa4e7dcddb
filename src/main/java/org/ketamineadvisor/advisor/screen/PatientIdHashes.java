package org.ketamineadvisor.advisor.screen;

import java.util.Arrays;

/**
 * The distinct Patient ids of an export, counted in 8 bytes a patient: a 64-bit hash of each id in a growable
 * array, sorted and deduplicated once the census is over. A Set of the ids themselves would cost 60-100 bytes a
 * patient and break -Xmx256m on a large export. A repeated id (the same Patient in two files, or a multiplied
 * export) counts once, as {@code assess} reads it as one patient. Two ids sharing a hash would be counted once;
 * at 64 bits the chance is about n²/2⁶⁵ (below one in ten million for a million patients).
 */
final class PatientIdHashes {

  private long[] hashes = new long[1024];
  private int size;
  private boolean finished;

  void add(String patientId) {
    if (finished) {
      throw new IllegalStateException("the census is over; no more patients can be added");
    }
    if (size == hashes.length) {
      hashes = Arrays.copyOf(hashes, hashes.length * 2);
    }
    hashes[size++] = hash(patientId);
  }

  /** Sorts and deduplicates; after this, {@link #count()} and {@link #contains(String)} answer. */
  void finish() {
    Arrays.sort(hashes, 0, size);
    int distinct = 0;
    for (int i = 0; i < size; i++) {
      if (distinct == 0 || hashes[i] != hashes[distinct - 1]) {
        hashes[distinct++] = hashes[i];
      }
    }
    size = distinct;
    hashes = Arrays.copyOf(hashes, Math.max(size, 1));
    finished = true;
  }

  /** The number of distinct patients (after {@link #finish()}). */
  long count() {
    requireFinished();
    return size;
  }

  /** Whether a Patient with this id was seen (after {@link #finish()}). */
  boolean contains(String patientId) {
    requireFinished();
    return Arrays.binarySearch(hashes, 0, size, hash(patientId)) >= 0;
  }

  private void requireFinished() {
    if (!finished) {
      throw new IllegalStateException("the census is not over yet");
    }
  }

  /** FNV-1a over the UTF-16 chars, then a SplitMix64 finaliser so that similar ids spread over all 64 bits. */
  static long hash(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
