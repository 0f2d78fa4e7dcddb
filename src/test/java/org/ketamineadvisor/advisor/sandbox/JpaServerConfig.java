package org.ketamineadvisor.advisor.sandbox;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.binary.api.IBinaryStorageSvc;
import ca.uhn.fhir.jpa.binstore.MemoryBinaryStorageSvcImpl;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import ca.uhn.fhir.narrative.INarrativeGenerator;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.server.ETagSupportEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.persistence.EntityManagerFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.transaction.annotation.EnableTransactionManagement;

/**
 * The beans of the embedded HAPI JPA R4 server: in-memory H2, no full-text index, no validation.
 *
 * <p>Deliberately not annotated {@code @Configuration}: it lives below the app's base package, and the app's
 * component scan must never pick it up. {@link EmbeddedFhirServer} registers it in a context of its own.
 */
@EnableTransactionManagement
// SubscriptionChannelConfig: batch2 needs a message broker; this one is in memory
@Import({
  JpaR4Config.class,
  HapiJpaConfig.class,
  JpaBatch2Config.class,
  Batch2JobsConfig.class,
  SubscriptionChannelConfig.class,
  ThreadPoolFactoryConfig.class
})
class JpaServerConfig {

  /** Small on purpose, so that clients under test have to follow {@code next} links. */
  static final int DEFAULT_PAGE_SIZE = 50;

  static final int MAXIMUM_PAGE_SIZE = 500;

  @Bean
  INarrativeGenerator narrativeGenerator() {
    // the app writes its own narratives; a generated one would only hide a missing one
    return new NullNarrativeGenerator();
  }

  @Bean
  JpaStorageSettings jpaStorageSettings() {
    JpaStorageSettings settings = new JpaStorageSettings();
    // fixtures use client ids of every shape (Synthea UUIDs, hand-built "p1"); server ids are UUIDs so they never clash
    settings.setResourceClientIdStrategy(JpaStorageSettings.ClientIdStrategyEnum.ANY);
    settings.setResourceServerIdStrategy(JpaStorageSettings.IdStrategyEnum.UUID);
    // Synthea records point at Practitioners and Organizations that a single patient file does not contain
    settings.setEnforceReferentialIntegrityOnWrite(false);
    settings.setEnforceReferentialIntegrityOnDelete(false);
    settings.setAllowExternalReferences(true);
    settings.setFetchSizeDefaultMaximum(MAXIMUM_PAGE_SIZE);
    // a search repeated after a write must see the write
    settings.setReuseCachedSearchResultsForMillis(null);
    settings.setSchedulingDisabled(true);
    settings.setHibernateSearchIndexSearchParams(false);
    settings.setAdvancedHSearchIndexing(false);
    // Bulk Data export ($export at system, Group and Patient level) needs no setting: BulkDataExportProvider is
    // registered below. (setEnableTaskBulkExportJobExecution only switches HAPI's scheduled purge of expired export
    // files, and the scheduler is off.) Every kick-off starts a fresh job: HAPI would otherwise hand back an earlier
    // identical export, even a deleted one
    settings.setEnableBulkExportJobReuse(false);
    return settings;
  }

  @Bean
  PartitionSettings partitionSettings() {
    return new PartitionSettings();
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource() {
    InMemoryH2 dataSource = new InMemoryH2();
    dataSource.setDriver(new org.h2.Driver());
    // one database per server, kept while the pool's connections come and go, dropped by close()
    dataSource.setUrl("jdbc:h2:mem:fhir-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    dataSource.setUsername("sa");
    dataSource.setPassword("");
    dataSource.setMaxTotal(10);
    return dataSource;
  }

  /** A pool on an in-memory H2 database that frees the database's memory when the pool closes. */
  private static final class InMemoryH2 extends BasicDataSource {

    @Override
    public synchronized void close() throws SQLException {
      // DB_CLOSE_DELAY=-1 keeps the database until the JVM exits; a test run that starts several servers
      // would otherwise keep every one of them in memory
      try (Connection connection = getConnection(); Statement statement = connection.createStatement()) {
        statement.execute("SHUTDOWN");
      } finally {
        super.close();
      }
    }
  }

  @Bean
  LocalContainerEntityManagerFactoryBean entityManagerFactory(
      ConfigurableListableBeanFactory beanFactory,
      FhirContext fhirContext,
      JpaStorageSettings storageSettings,
      DataSource dataSource) {
    LocalContainerEntityManagerFactoryBean factory =
        HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
    factory.setPersistenceUnitName("HAPI_PU");
    factory.setDataSource(dataSource);
    factory.setJpaProperties(hibernateProperties());
    return factory;
  }

  private static Properties hibernateProperties() {
    Properties properties = new Properties();
    properties.put("hibernate.dialect", HapiFhirH2Dialect.class.getName());
    properties.put("hibernate.hbm2ddl.auto", "update");
    properties.put("hibernate.search.enabled", "false");
    // audit tables only serve MDM link history, which the sandbox does not use; skipping them saves start-up time
    properties.put("hibernate.integration.envers.enabled", "false");
    properties.put("hibernate.format_sql", "false");
    properties.put("hibernate.show_sql", "false");
    properties.put("hibernate.cache.use_query_cache", "false");
    properties.put("hibernate.cache.use_second_level_cache", "false");
    properties.put("hibernate.cache.use_structured_entries", "false");
    properties.put("hibernate.cache.use_minimal_puts", "false");
    return properties;
  }

  @Bean
  JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
    return new JpaTransactionManager(entityManagerFactory);
  }

  @Bean
  IBinaryStorageSvc binaryStorage() {
    return new MemoryBinaryStorageSvcImpl();
  }

  /** Runs the bulk export jobs, HAPI's scheduler being off (see {@link Batch2JobDriver}). */
  @Bean(destroyMethod = "close")
  Batch2JobDriver batch2JobDriver(IJobMaintenanceService maintenance, IInterceptorService interceptors) {
    return new Batch2JobDriver(maintenance, interceptors);
  }

  @Bean
  RestfulServer restfulServer(
      IFhirSystemDao<?, ?> systemDao,
      ResourceProviderFactory resourceProviders,
      JpaSystemProvider<?, ?> systemProvider,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider,
      BulkDataExportProvider bulkExport) {
    RestfulServer server = new RestfulServer(systemDao.getContext());
    server.registerProviders(resourceProviders.createProviders());
    server.registerProvider(systemProvider);
    // $export, $export-poll-status (GET polls, DELETE cancels); the files are Binary resources read at /Binary/{id}
    server.registerProvider(bulkExport);
    JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(
        server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilities.setImplementationDescription("Ketamine Advisor sandbox EHR (HAPI FHIR JPA, H2)");
    server.setServerConformanceProvider(capabilities);
    server.setETagSupport(ETagSupportEnum.ENABLED);
    pagingProvider.setDefaultPageSize(DEFAULT_PAGE_SIZE);
    pagingProvider.setMaximumPageSize(MAXIMUM_PAGE_SIZE);
    server.setPagingProvider(pagingProvider);
    return server;
  }
}
