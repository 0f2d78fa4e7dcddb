/**
 * Where session state lives across instances: the Redis session store (encrypted) and the shared signing lock.
 */
package org.ketamineadvisor.advisor.session;
