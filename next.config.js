/** @type {import('next').NextConfig} */
module.exports = {
  // Native and driver packages stay outside the server bundle (TOOLCHAIN.md).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};
