package org.ketamineadvisor.sparkjob;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.util.SerializableConfiguration;
import org.ketamineadvisor.advisor.fhir.files.InputProblem;
import org.ketamineadvisor.advisor.fhir.files.MedicationStash;
import org.ketamineadvisor.advisor.fhir.files.SpooledResource;
import org.ketamineadvisor.advisor.screen.ScreenSummary;
import org.ketamineadvisor.advisor.screen.ScreenedPatient;

/**
 * The job's classes for a cluster that sets {@code spark.serializer=org.apache.spark.serializer.KryoSerializer}: Kryo
 * 4 (Spark 4.1's) cannot build Java records (nor the immutable lists they hold), so what the job shuffles, caches and
 * broadcasts goes through Java serialization inside Kryo. Set as {@code spark.kryo.registrator} by
 * {@link ScreenJob#main}; a session made elsewhere must name it (Spark reads it only when the session is created).
 */
public final class ScreenKryo implements KryoRegistrator {

  static final String KRYO_SERIALIZER = "org.apache.spark.serializer.KryoSerializer";
  static final String REGISTRATOR = "spark.kryo.registrator";

  private static final List<Class<?>> JAVA_SERIALIZED = List.of(ExportFile.class, KeptLine.class,
      SpooledResource.class, InputProblem.class, ScreenedPatient.class, ScreenSummary.ReasonCount.class,
      JobRequest.LocalCodesText.class, DistributedScreen.CensusOfFiles.class, MedicationStash.class,
      SerializableConfiguration.class);

  @Override
  public void registerClasses(Kryo kryo) {
    JAVA_SERIALIZED.forEach(type -> kryo.register(type, new JavaSerializer()));
  }

  /** {@code conf} with this registrator after any the user named. */
  static SparkConf added(SparkConf conf) {
    String named = conf.get(REGISTRATOR, "").trim();
    if (!registered(named)) {
      conf.set(REGISTRATOR, named.isEmpty() ? ScreenKryo.class.getName() : named + "," + ScreenKryo.class.getName());
    }
    return conf;
  }

  /**
   * Why a session's serializer cannot carry the job's records, or null when it can: Kryo without this registrator.
   */
  static String missingFrom(SparkConf conf) {
    if (!KRYO_SERIALIZER.equals(conf.get("spark.serializer", "")) || registered(conf.get(REGISTRATOR, ""))) {
      return null;
    }
    return "the session uses Kryo (spark.serializer=" + KRYO_SERIALIZER + ") without the job's registrator: set "
        + REGISTRATOR + "=" + ScreenKryo.class.getName() + " (after your own, comma-separated) when the session is "
        + "created, or let spark-submit start the job (ScreenJob.main sets it)";
  }

  private static boolean registered(String registrators) {
    return List.of(registrators.split("\\s*,\\s*")).contains(ScreenKryo.class.getName());
  }
}
