import Image from "next/image"

import { OrderCounter } from "@/components/order-counter"

export default function Home() {
  return (
    <main>
      <Image src="/logo.png" alt="Orders" width={120} height={40} />
      <OrderCounter />
    </main>
  )
}
