import "server-only";
import { InvalidLicenseKey, verifyLicenseKey } from "../crypto/license-key";
import { getDb } from "../db";
import type { ProductAuthenticator } from "../http/product-auth";

/**
 * A key is valid when its signature verifies against the portal's keys, its jti is a key version
 * issued for the license it names (same license id and version number), and the license is not
 * revoked. One indexed read (the key version by its id, with its license) answers all of it.
 * A failure to tell (the keys cannot be loaded, the database fails) is thrown, not "invalid".
 */
export const licenseKeyAuthenticator: ProductAuthenticator = {
  async authenticate(licenseKey) {
    let payload;
    try {
      payload = await verifyLicenseKey(licenseKey);
    } catch (error) {
      if (error instanceof InvalidLicenseKey) return null;
      throw error;
    }
    const kv = await getDb().keyVersion.findUnique({
      where: { id: payload.jti },
      select: {
        version: true,
        license: {
          select: {
            id: true,
            licenseId: true,
            organizationId: true,
            revokedAt: true,
            type: true,
            productId: true,
            currentVersion: true,
            expirationDate: true,
            contract: { select: { number: true, status: true, endDate: true } },
          },
        },
      },
    });
    if (!kv || kv.version !== payload.ver || kv.license.licenseId !== payload.sub || kv.license.revokedAt !== null) return null;
    const l = kv.license;
    return {
      organizationId: l.organizationId,
      licenseRef: l.id,
      licenseId: l.licenseId,
      versionPresented: kv.version,
      license: {
        type: l.type,
        productId: l.productId,
        currentVersion: l.currentVersion,
        expirationDate: l.expirationDate,
        supportId: l.contract?.number ?? null,
        contract: l.contract ? { status: l.contract.status, endDate: l.contract.endDate } : null,
      },
    };
  },
};
