package org.ketamineadvisor.advisor.fhir.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatientSpoolTest {

  @TempDir
  Path temp;

  private static SpooledResource observation(String id) {
    return new SpooledResource("f.ndjson", "f.ndjson:line 1", null, "Observation", id,
        "{\"resourceType\":\"Observation\",\"id\":\"" + id + "\",\"note\":[{\"text\":\"é ✓ " + "x".repeat(200) + "\"}]}");
  }

  private Map<String, List<String>> drain(PatientSpool spool) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    spool.drainInOrder((id, resources) -> out.put(id, resources.stream().map(r -> r.id() + r.json()).toList()));
    return out;
  }

  @Test
  void spilledSpoolGivesPatientsInIdOrderAndEachPatientsResourcesInInputOrder() throws IOException {
    Random random = new Random(42);
    List<String[]> adds = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      adds.add(new String[] {"p" + random.nextInt(150), "o" + i});
    }
    Map<String, List<String>> inMemory;
    Map<String, List<String>> onDisk;
    try (PatientSpool memory = new PatientSpool(Long.MAX_VALUE, temp);
        PatientSpool disk = new PatientSpool(5_000, temp)) {
      for (String[] add : adds) {
        memory.add(add[0], observation(add[1]));
        disk.add(add[0], observation(add[1]));
      }
      assertThat(memory.spilled()).isFalse();
      assertThat(disk.spilled()).isTrue();
      inMemory = drain(memory);
      onDisk = drain(disk);
    }
    assertThat(new ArrayList<>(inMemory.keySet())).isSorted().hasSize(150);
    assertThat(onDisk).containsExactlyEntriesOf(inMemory);
    try (Stream<Path> left = Files.list(temp)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void onePatientLargerThanTheLimitIsStillHandedOnWhole() throws IOException {
    try (PatientSpool spool = new PatientSpool(1_000, temp)) {
      for (int i = 0; i < 20; i++) {
        spool.add("big", observation("o" + i));
      }
      spool.add("a", observation("small"));
      Map<String, List<String>> out = drain(spool);
      assertThat(out.keySet()).containsExactly("a", "big");
      assertThat(out.get("big")).hasSize(20).first().asString().startsWith("o0{");
    }
  }
}
