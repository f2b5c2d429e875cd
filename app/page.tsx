import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { isStaffRole } from "@/lib/auth/permissions";

export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  redirect(isStaffRole(user.role) ? "/staff/cases" : "/overview");
}
