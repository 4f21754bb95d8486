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
