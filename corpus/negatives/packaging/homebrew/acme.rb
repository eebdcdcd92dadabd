class Veilctl < Formula
  desc "Acme CLI"
  homepage "https://acme.io"
  url "https://github.com/acme/cli/archive/refs/tags/v7.4.11.tar.gz"
  sha256 "3a5ae4c33aead5d3d35ba59999ced1991802384a44a644860f25fe55256586b0"
  license "MIT"
end
