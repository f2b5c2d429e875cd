import "server-only";
import { InvalidLicenseKey, verifyLicenseKey } from "../crypto/license-key";
import type { KeyHolder } from "./context";
import { findKeyVersion } from "./store/license-keys";

/**
 * The license a product server speaks for: the license key it presents must verify against the
 * portal's keys, its jti must be a key version issued for the license it names (same license id
 * and version number), and the license must not be revoked. One indexed read answers all of it.
 * Returns null when the key is not valid; a failure to tell (the keys cannot be loaded, the
 * database fails) is thrown, not "invalid".
 */
export async function authenticateLicenseKey(licenseKey: string): Promise<KeyHolder | null> {
  let payload;
  try {
    payload = await verifyLicenseKey(licenseKey);
  } catch (error) {
    if (error instanceof InvalidLicenseKey) return null;
    throw error;
  }
  const kv = await findKeyVersion(payload.jti);
  if (!kv || kv.version !== payload.ver || kv.licenseId !== payload.sub || kv.revoked) return null;
  return {
    organizationId: kv.organizationId,
    licenseRef: kv.id,
    licenseId: kv.licenseId,
    versionPresented: kv.version,
    license: {
      type: kv.type,
      productId: kv.productId,
      currentVersion: kv.currentVersion,
      expirationDate: kv.expirationDate,
      createdPeriod: kv.createdPeriod,
      supportId: kv.contract?.number ?? null,
      contract: kv.contract ? { status: kv.contract.status, endDate: kv.contract.endDate } : null,
    },
  };
}
