// How the product wrapper knows which license a product server speaks for: the license key it
// presents must verify, its jti must be a key version issued for that license, and the license
// must not be revoked (lib/server/product-auth.ts).
import type { ContractFacts } from "../domain/contracts";

export interface ProductCaller {
  organizationId: string;
  /** Internal id of the license. */
  licenseRef: string;
  licenseId: string;
  versionPresented: number;
  /** What the answers need, read with the key version in one query. */
  license: {
    type: "RENTAL" | "NFR" | "EVALUATION";
    productId: string;
    currentVersion: number;
    expirationDate: string;
    supportId: string | null;
    contract: ContractFacts | null;
  };
}

export interface ProductAuthenticator {
  /** Returns the caller the key stands for, or null when the key is not valid. Throws when it cannot tell. */
  authenticate(licenseKey: string): Promise<ProductCaller | null>;
}

export { licenseKeyAuthenticator as productAuthenticator } from "../server/product-auth";
