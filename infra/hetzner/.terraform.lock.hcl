# This file is maintained automatically by "tofu init".
# Manual edits may be lost in future updates.

provider "registry.opentofu.org/hetznercloud/hcloud" {
  version     = "1.49.1"
  constraints = "1.49.1"
  hashes = [
    "h1:6j9/70ZTr1G4d0BPSk0163/SSHJZD31f489cdV0k80M=",
    "h1:8kDjfsiYlJsPVp0zpnCTeNlSQjm6Q0QwcVjrYof/o9k=",
    "h1:FKGRNHVbcfQJd8EWrb8Ze5QHkaGr8zI+ZKxBMjvOwPk=",
    "h1:MxGNqHQlhFIfMXC9Ypt3plGzD2MhpE5DIrupgRG2FFo=",
    "h1:PP6CUy9TR1JiaiW81dTVbXcheqWUeDhgS2T2LTo7B10=",
    "h1:S/eRssPS4U1nAURW9aPa/S6h8puwMfsojM9UIF0/is0=",
    "h1:VSIw+6TKUOFsEUpJLV7fqyaOcCgbkCOeshqEgdmT3OE=",
    "h1:YumC0fXEEnbvKjnmVVuNX2bWoNcfcpn/5oe6igWUI60=",
    "h1:azb0xQh1PC76cXt898ybDZVUDHYVPq6jpLwpXBzqAtc=",
    "h1:bNjluerjtHOLhHyQbj/am8yxiAUNegBiKruOMT9HlpA=",
    "h1:evz3dtgB+IKU8G9dO018vhpSUKa4VcdfwOcsAh3j3Mc=",
    "h1:fI1pHkESobti/0iFQlAYIH6k1YyXg/DRP9zeDzayWRA=",
    "h1:gqkDeIyO4Q8OsDXp/6MIxos7puat72Lyw5iH2NeussM=",
    "h1:yLYPc6jD4LQqAIT/OkN8ulnLxzeP+j7ophOw7Hhf8iM=",
    "zh:3d5f9773da4f8203cf625d04a5a0e4ff7e202684c010a801a945756140c61cde",
    "zh:446305d492017cda91e5c15122ec16ff15bfe3ef4d3fd6bcea0cdf7742ab1b86",
    "zh:44d4f9156ed8b4f0444bd4dc456825940be49048828565964a192286d28c9f20",
    "zh:492ad893d2f89bb17c9beb877c8ceb4a16caf39db1a79030fefeada6c7aa217f",
    "zh:68dc552c19ad9d209ec6018445df6e06fb77a637513a53cc66ddce1b024082be",
    "zh:7492495ffda6f6c49ab38b539bd2eb965b1150a63fb6b191a27dec07d17601cb",
    "zh:850fe92005981ea00db86c3e49ba5b49732fdf1f7bd5530a68f6e272847059fc",
    "zh:8cb67f744c233acfb1d68a6c27686315439d944edf733b95f113b4aa63d86713",
    "zh:8e13dac46e8c2497772ed1baee701b1d1c26bcc95a63b5c4566c83468f504868",
    "zh:c44249c6a8ba931e208a334792686b5355ab2da465cadea03c1ea8e73c02db12",
    "zh:d103125a28a85c89aea0cb0c534fe3f504416c4d4fc75c37364b9ec5f66dd77d",
    "zh:ed8f64e826aa9bfca95b72892271678cb78411b40d7b404a52404141e05a4ab1",
    "zh:f40efad816de00b279bd1e2cbf62c76b0e5b2da150a0764f259984b318e30945",
    "zh:f5e912d0873bf4ecc43feba4ceccdf158048080c76d557e47f34749139fdd452",
  ]
}

provider "registry.opentofu.org/hashicorp/tls" {
  version     = "4.2.1"
  constraints = "4.2.1"
  hashes = [
    "h1:ALyauaoiauOEgiDjFt8gFHyvzs8JLBcHAEtIqDsE3Rg=",
    "h1:ApZvTsHD9LJxRJiTlZnXCRTGQ92YUCDXUxNwaVbsQyQ=",
    "h1:LFoLeANH42K6k4aH9zW+xN8pC0ls2flsbGeQTdEnABM=",
    "h1:RZDD1y8qrxf7+gdnfFcGP0G6GDe/kv4zNDNdg1HpuSQ=",
    "h1:Vr77TEfxpe/RLNWDDGI1Wz3rDFN1M3dLNMFSk4DKAAo=",
    "h1:ZT6bZoEZh729x6ax/Xe5eEcBbXZ5HGv2i7ijIh5k74I=",
    "h1:ZilRQg3gaNxvWpwnrjV3ZyU4dXI0yQfgsxu2swX9E14=",
    "h1:p+7dQZVz/XpgVLmH00WLFAxDiSWlo/+LXFft0qM4aLg=",
    "h1:vjihqyZJK3CyXKYpKn4KjqeUBiLCDi26DNgVpzfMm+Y=",
    "zh:0435b85c1aa6ac9892e88d99eaae0b1712764b236bf469c114c6ff4377b113d6",
    "zh:3413d6c61a6a1db2466200832e1d86b2992b81866683b1b946e7e25d99e8daf9",
    "zh:4e7610d4c05fee00994b851bc5ade704ae103d56f28b84dedae7ccab2148cc3f",
    "zh:5d7d29342992c202f748ff72dcaa1fa483d692855e57b87b743162eaf12b729a",
    "zh:7db84d143330fcc1f6f2e79b9c7cc74fdb4ddfe78d10318d060723d6affb8a5c",
    "zh:b7fb825fd0eccf0ea9afb46627d2ec217d2d99a5532de8bcbdfaa0992d0248e2",
    "zh:cb8ca2de5f7367d987a23f88c76d80480bcc49da8bdc3fd24dd9b19d3428d72d",
    "zh:eb88588123dd53175463856d4e2323fb0da44bdcf710ec34f2cad6737475638b",
    "zh:f92baceb82d3a1e5b6a34a29c605b54cae8c6b09ea1fffb0af4d036337036a8f",
  ]
}
