// How the product wrapper knows which license a product server speaks for: the license key it
// presents. The verification (signature, key version issued for the license, not revoked)
// arrives with the license keys issue; until then no key exists, so every key is refused.
export interface ProductCaller {
  organizationId: string;
  /** Internal id of the license. */
  licenseRef: string;
  licenseId: string;
  versionPresented: number;
}

export interface ProductAuthenticator {
  /** Returns the caller the key stands for, or null when the key is not valid. */
  authenticate(licenseKey: string, now: Date): Promise<ProductCaller | null>;
}

export const productAuthenticator: ProductAuthenticator = {
  async authenticate() {
    return null;
  },
};
